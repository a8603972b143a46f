package dev.l7splice.kernel.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The libraries the build put next to {@link LinuxIo}: the x86-64 one loads and its natives work
 * (this machine runs it; every other test uses it too), the aarch64 one, which cannot be run here,
 * is at least an aarch64 shared object that exports exactly what the x86-64 one does.
 */
@Timeout(30)
class NativeLibrariesTest {

    @Test
    void theX8664LibraryLoadsAndItsNativesAreBound() {
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "runs on x86-64, this JVM is " + arch);
        assertNull(LinuxIo.unavailableReason());
        long fds = LinuxIo.pipe(); // a call through a native bound by JNI_OnLoad
        assertTrue(fds >= 0, "pipe: " + fds);
        assertEquals(0, LinuxIo.close((int) (fds >>> 32)));
        assertEquals(0, LinuxIo.close((int) fds));
    }

    @Test
    void eachLibraryIsAnElf64SharedObjectForItsMachine() throws IOException {
        ElfFile x86 = library("linux-x86_64");
        assertEquals(ElfFile.ET_DYN, x86.type());
        assertEquals(ElfFile.EM_X86_64, x86.machine());
        ElfFile arm = library("linux-aarch64");
        assertEquals(ElfFile.ET_DYN, arm.type());
        assertEquals(ElfFile.EM_AARCH64, arm.machine());
    }

    @Test
    void bothLibrariesExportOnlyJniOnLoad() throws IOException {
        Set<String> x86 = library("linux-x86_64").exportedSymbols();
        assertEquals(Set.of("JNI_OnLoad"), x86, "natives are registered, not exported by name");
        assertEquals(x86, library("linux-aarch64").exportedSymbols());
    }

    @Test
    void theFolderFollowsOsArchInEitherSpelling() {
        assertEquals("linux-x86_64", LinuxIo.platformFolder("amd64"));
        assertEquals("linux-x86_64", LinuxIo.platformFolder("x86_64"));
        assertEquals("linux-aarch64", LinuxIo.platformFolder("aarch64"));
        assertEquals("linux-aarch64", LinuxIo.platformFolder("arm64"));
        assertNull(LinuxIo.platformFolder("riscv64"));
        assertNull(LinuxIo.platformFolder("ppc64le"));
        assertNull(LinuxIo.platformFolder("x86")); // 32-bit: no library
    }

    private static ElfFile library(String folder) throws IOException {
        try (InputStream in = LinuxIo.class.getResourceAsStream(folder + "/" + LinuxIo.LIBRARY)) {
            assertNotNull(in, folder + "/" + LinuxIo.LIBRARY + " is not in the build output");
            return new ElfFile(in.readAllBytes());
        }
    }
}
