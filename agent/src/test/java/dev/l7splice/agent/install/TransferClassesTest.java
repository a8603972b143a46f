package dev.l7splice.agent.install;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.agent.transfer.SpliceLoop;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferClassesTest {

    @Test
    void namesTheTransferPathClassesOfTheJarAndNotTheRest(@TempDir Path dir) throws Exception {
        File jar = dir.resolve("a.jar").toFile();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar.toPath()))) {
            for (String n : List.of("l7inst/dev/l7splice/agent/transfer/SpliceLoop.class",
                    "l7inst/dev/l7splice/agent/sinks/tomcat/TomcatSink.class", "l7inst/dev/l7splice/agent/relay/Handoffs.class",
                    "l7inst/dev/l7splice/engine/RelayLoop.class", "l7inst/dev/l7splice/kernel/nativeio/LinuxIo.class",
                    "l7inst/dev/l7splice/agent/instrument/loops/CopyLoop.class", "l7inst/dev/l7splice/shaded/asm/ClassReader.class",
                    "dev/l7splice/agent/bootstrap/L7Dispatch.class", "l7inst/dev/l7splice/agent/transfer/l7.txt")) {
                out.putNextEntry(new JarEntry(n));
                out.closeEntry();
            }
        }
        List<String> names = TransferClasses.names(jar);
        assertTrue(names.equals(List.of("dev.l7splice.agent.transfer.SpliceLoop", "dev.l7splice.agent.sinks.tomcat.TomcatSink",
                "dev.l7splice.agent.relay.Handoffs", "dev.l7splice.engine.RelayLoop", "dev.l7splice.kernel.nativeio.LinuxIo")),
                names.toString());
    }

    @Test
    void aMissingJarPreloadsOnlyTheJdksClasses(@TempDir Path dir) {
        assertTrue(TransferClasses.preload(dir.resolve("none.jar").toFile()) > 0);
    }

    @Test
    void namesWhatTheTransferClassesReferToForTheLoaderToLookUpOnce(@TempDir Path dir) throws Exception {
        File jar = dir.resolve("b.jar").toFile();
        byte[] sample;
        try (java.io.InputStream in = ConstantPoolClassesTest.Sample.class
                .getResourceAsStream("ConstantPoolClassesTest$Sample.class")) {
            sample = in.readAllBytes();
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar.toPath()))) {
            out.putNextEntry(new JarEntry("l7inst/dev/l7splice/agent/transfer/Sample.class"));
            out.write(sample);
            out.closeEntry();
        }
        List<String> names = TransferClasses.referencedBy(jar, List.of("dev.l7splice.agent.transfer.Sample",
                "dev.l7splice.agent.transfer.Missing"));
        assertTrue(names.contains("java.util.zip.CRC32C") && names.contains("java.util.ConcurrentModificationException"),
                names.toString());
    }
}
