package dev.l7splice.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CliArgsTest {

    @Test
    void valuesFlagsRepeatsAndLastWins() {
        CliArgs cli = CliArgs.parse(new String[] {"--port", "1", "--backend=a:1", "--backend", "b:2", "--verify", "--port", "7"},
                Set.of("port", "backend"), Set.of("verify"));
        assertEquals(7, cli.intValue("port", 0, 0, 65535));
        assertEquals(List.of("a:1", "b:2"), cli.all("backend"));
        assertTrue(cli.has("verify"));
        assertFalse(cli.has("other"));
        assertEquals("d", cli.get("other", "d"));
    }

    @Test
    void badCommandLines() {
        assertThrows(UsageException.class, () -> CliArgs.parse(new String[] {"--nope"}, Set.of(), Set.of()));
        assertThrows(UsageException.class, () -> CliArgs.parse(new String[] {"--port"}, Set.of("port"), Set.of()));
        assertThrows(UsageException.class, () -> CliArgs.parse(new String[] {"stray"}, Set.of(), Set.of()));
        CliArgs cli = CliArgs.parse(new String[] {"--port", "x"}, Set.of("port"), Set.of());
        assertThrows(UsageException.class, () -> cli.intValue("port", 0, 0, 10));
    }

    @Test
    void sizes() {
        assertEquals(1L << 30, Sizes.parse("size", "1g"));
        assertEquals(256L << 20, Sizes.parse("size", "256M"));
        assertEquals(4096, Sizes.parse("size", "4k"));
        assertEquals(4096, Sizes.parse("size", "4KB"));
        assertEquals(1000, Sizes.parse("size", "1000"));
        assertThrows(UsageException.class, () -> Sizes.parse("size", "1t"));
        assertThrows(UsageException.class, () -> Sizes.parse("size", "-1m"));
        assertEquals("256 MiB", Sizes.human(256L << 20));
        assertEquals("1000 B", Sizes.human(1000));
    }
}
