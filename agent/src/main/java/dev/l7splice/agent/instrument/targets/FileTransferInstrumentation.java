package dev.l7splice.agent.instrument.targets;

import dev.l7splice.agent.instrument.Installation;
import dev.l7splice.agent.instrument.Target;

/** File streams to sockets with sendfile(2), and files as the source of a server sink ({@code transfer.FileToSocket}). */
public final class FileTransferInstrumentation extends Target {

    public FileTransferInstrumentation() {
        super("file-transfer", Phase.ENDS);
    }

    @Override
    public void install(Installation at) {
        at.ends.enable(name());
    }
}
