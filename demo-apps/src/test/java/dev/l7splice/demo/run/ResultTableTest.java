package dev.l7splice.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
                new ModeResult("gateway without agent", 812.34, 1.234, "-", true, null),
                new ModeResult("gateway with agent", 1640.0, 0.2, "3221225472 (100%)", false, null)));
        List<String> lines = table.lines().toList();
        assertEquals(4, lines.size());
        int bar = lines.get(0).indexOf('|');
        for (String line : lines) {
            assertEquals(bar, line.indexOf('|'), line);
        }
        assertEquals(true, lines.get(2).contains(" 812.3 |"));
        assertEquals(true, lines.get(3).endsWith("FAILED"));
    }

    @Test
    void procStatCpuFieldsSurviveOddCommandNames() throws IOException {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 12345";
        assertEquals(325, ProcessCpu.ticksOf(stat));
    }
}
