package dev.l7splice.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/demo} installs what it needs: on a PATH without java it says so and calls apt-get for
 * a JDK (here a stand-in apt-get that only records its arguments, so nothing is installed and the
 * script then stops with a clear line).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoScriptIT {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    @Test
    void withoutJavaTheDemoInstallsAJdkAndSaysSo() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        for (String tool : List.of("bash", "env", "dirname", "find", "id", "cat", "uname")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(which(tool)));
        }
        Path calls = dir.resolve("apt-get.calls");
        Path aptGet = bin.resolve("apt-get");
        Files.writeString(aptGet, "#!" + which("bash") + "\necho \"$*\" >> " + calls + "\n");
        Path sudo = bin.resolve("sudo"); // when the tests do not run as root
        Files.writeString(sudo, "#!" + which("bash") + "\nexec \"$@\"\n");
        for (Path script : List.of(aptGet, sudo)) {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path out = dir.resolve("out");
        ProcessBuilder pb = new ProcessBuilder(which("bash"), ROOT.resolve("bin/demo").toString(), "--help")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String text = Files.readString(out);
        assertEquals(2, p.exitValue(), text);
        assertTrue(text.contains("demo: installing openjdk-17-jdk-headless"), text);
        assertTrue(text.contains("demo: 'java' still not found on PATH after installing"), text);
        List<String> apt = Files.readAllLines(calls);
        assertEquals("update -qq", apt.get(0), apt.toString());
        assertTrue(apt.get(1).startsWith("install -y -qq openjdk-17-jdk-headless"), apt.toString());
    }

    private static String which(String tool) {
        for (String d : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return Path.of(d, tool).toString();
            }
        }
        throw new AssertionError("no " + tool);
    }
}
