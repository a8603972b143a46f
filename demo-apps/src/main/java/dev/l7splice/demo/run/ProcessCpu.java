package dev.l7splice.demo.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/** CPU time of another process on Linux, from {@code /proc/<pid>/stat}. Thread-safe. */
public final class ProcessCpu {

    private static volatile long ticksPerSecond;

    private ProcessCpu() {
    }

    /** User plus system CPU seconds the process has used so far (all its threads). */
    public static double seconds(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        return ticksOf(stat) / (double) ticksPerSecond();
    }

    /** utime + stime, fields 14 and 15; the command name (field 2) may hold spaces and ')'. */
    static long ticksOf(String stat) throws IOException {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IOException("unexpected /proc stat format");
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        if (fields.length < 13) {
            throw new IOException("unexpected /proc stat format");
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** {@code getconf CLK_TCK}, asked once; 100 (the Linux value) if getconf is missing. */
    static long ticksPerSecond() {
        long t = ticksPerSecond;
        if (t == 0) {
            t = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (p.waitFor() == 0) {
                    t = Long.parseLong(out);
                }
            } catch (IOException | NumberFormatException e) {
                // keep 100
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ticksPerSecond = t;
        }
        return t;
    }
}
