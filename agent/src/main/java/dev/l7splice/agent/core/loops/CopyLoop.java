package dev.l7splice.agent.core.loops;

import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;

/**
 * A proven copy loop in one method: {@code while ((n = in.read(buf)) CMP) { out.write(buf, 0, n);
 * [out.flush();] [counter += n;] }}, compiled with its condition at the top. Locals are slot
 * numbers; {@code counter} is -1 when there is none. Immutable; lives for one class rewrite.
 */
record CopyLoop(LabelNode head, FrameNode headFrame, JumpInsnNode backEdge, LabelNode exit,
                int in, int out, int buf, int n, int counter, boolean longCounter, int line) {
}
