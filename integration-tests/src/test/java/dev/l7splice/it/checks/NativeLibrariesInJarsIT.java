package dev.l7splice.it.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.l7splice.it.support.Artifacts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The jars as shipped carry the JNI library for each architecture where LinuxIo looks for it:
 * under the agent's l7inst/ tree in l7agent.jar, at the root in l7relay.jar (both bundle the
 * kernel-io module), the same bytes in both, each an ELF for its machine. The other tests run
 * these jars on x86-64; this is what they cannot see of the aarch64 library.
 */
class NativeLibrariesInJarsIT {

    private static final String FOLDER = "dev/l7splice/kernel/nativeio/";
    /** Folder -> ELF e_machine (EM_X86_64, EM_AARCH64). */
    private static final Map<String, Integer> MACHINES = Map.of("linux-x86_64", 62, "linux-aarch64", 183);

    @Test
    void bothJarsCarryBothLibrariesWhereLinuxIoLooks() throws IOException {
        try (ZipFile agent = new ZipFile(Artifacts.agentJar().toFile());
             ZipFile relay = new ZipFile(Artifacts.relayJar().toFile())) {
            for (Map.Entry<String, Integer> e : MACHINES.entrySet()) {
                String name = FOLDER + e.getKey() + "/libl7native.so";
                byte[] inAgent = read(agent, "l7inst/" + name);
                assertEquals(e.getValue(), machine(inAgent), name);
                assertArrayEquals(inAgent, read(relay, name), "the relay jar's copy of " + name);
            }
            assertNull(agent.getEntry("l7inst/" + FOLDER + "libl7native.so"), "no library outside the arch folders");
            assertNull(relay.getEntry(FOLDER + "libl7native.so"), "no library outside the arch folders");
        }
    }

    private static byte[] read(ZipFile jar, String name) throws IOException {
        ZipEntry e = jar.getEntry(name);
        assertNotNull(e, name + " missing from " + Path.of(jar.getName()).getFileName());
        try (InputStream in = jar.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    /** e_machine of an ELF64 little-endian file (bytes 18-19), after checking the identification. */
    private static int machine(byte[] elf) {
        assertEquals(0x7f, elf[0]);
        assertEquals('E', elf[1]);
        assertEquals('L', elf[2]);
        assertEquals('F', elf[3]);
        assertEquals(2, elf[4], "ELFCLASS64");
        assertEquals(1, elf[5], "ELFDATA2LSB");
        return (elf[18] & 0xff) | (elf[19] & 0xff) << 8;
    }
}
