package dev.l7splice.agent.instrument.loops;

import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;

/**
 * A proven copy loop in one method: {@code while ((n = in.read(buf)) CMP) { out.write(buf, 0, n);
 * [out.flush();] [counter += n;] }} or its {@code if (n == -1) break;} form, with the read at the
 * top. {@code in} and {@code out} are locals or proven fields; other locals are slot numbers;
 * {@code counter} is -1 when there is none. Immutable; lives for one class rewrite.
 */
record CopyLoop(LabelNode head, FrameNode headFrame, JumpInsnNode backEdge, LabelNode exit,
                StreamRef in, StreamRef out, int buf, int n, int counter, boolean longCounter, int line) {
}
