package dev.l7splice.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ResultTableTest {

    @Test
    void columnsAreAligned() {
        String table = ResultTable.render(List.of(
                new ModeResult("without agent", 812.34, 1.234, Double.NaN, "-", true, null),
                new ModeResult("agent inline", 1640.0, 0.2, Double.NaN, "3221225472 (100%)", true, null),
                new ModeResult("agent inprocess", 1700.0, 0.25, Double.NaN, "3221225472 (100%)", true, null),
                new ModeResult("agent sidecar", 1500.0, 0.1, 0.123, "3221225472 (100%)", false, null)));
        List<String> lines = table.lines().toList();
        assertEquals(6, lines.size());
        assertTrue(lines.get(0).contains("relay CPU s/GB"), lines.get(0));
        for (int column = 1; column <= 5; column++) {
            int bar = nthBar(lines.get(0), column);
            for (String line : lines) {
                assertEquals(bar, nthBar(line, column), line);
            }
        }
        assertTrue(lines.get(2).contains(" 812.3 |"), lines.get(2));
        assertTrue(lines.get(2).contains(" 1.23 |"), lines.get(2));
        // no relay process: "-", right-aligned like the numbers
        assertTrue(lines.get(3).contains("  - | "), lines.get(3));
        assertTrue(lines.get(5).contains(" 0.12 | "), lines.get(5));
        assertTrue(lines.get(5).endsWith("FAILED"), lines.get(5));
    }

    @Test
    void theSpringRowsLongerLabelsKeepTheColumnsAligned() {
        String table = ResultTable.render(List.of(
                new ModeResult("agent sidecar", 1500.0, 0.1, 0.123, "25165824 (100.0%)", true, null),
                new ModeResult("Spring MVC, no agent", 950.5, 2.5, Double.NaN, "-", true, null),
                new ModeResult("Spring MVC + agent", 1480.25, 0.61, Double.NaN, "25067520 (99.6%)", true, null),
                new ModeResult("file server + agent", 2100.0, 0.05, Double.NaN, "25165824 (100.0%)", true, null)));
        List<String> lines = table.lines().toList();
        assertEquals(6, lines.size());
        for (int column = 1; column <= 5; column++) {
            int bar = nthBar(lines.get(0), column);
            for (String line : lines) {
                assertEquals(bar, nthBar(line, column), line);
            }
        }
        assertTrue(lines.get(3).startsWith("Spring MVC, no agent | "), lines.get(3));
        assertTrue(lines.get(4).startsWith("Spring MVC + agent   | "), lines.get(4));
        assertTrue(lines.get(4).contains(" 1480.3 | ") && lines.get(4).contains(" 25067520 (99.6%) | ok"), lines.get(4));
    }

    @Test
    void procStatCpuFieldsSurviveOddCommandNames() throws IOException {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 12345";
        assertEquals(325, ProcessCpu.ticksOf(stat));
    }

    private static int nthBar(String line, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = line.indexOf('|', at + 1);
        }
        return at;
    }
}
