package dev.l7splice.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parser reads on after a problem and reports every one, by line, without repeating one as another. */
@Timeout(30)
class ConfigParserEveryErrorTest {

    /** "LINE:KEYWORD" of every problem, in the order reported; each message checked to be one line. */
    private static List<String> problems(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("r.cfg", text.lines().toList()));
        assertSame(e.all().get(0).getMessage(), e.getMessage(), "the exception is the first problem");
        for (ConfigException p : e.all()) {
            assertTrue(p.getMessage().startsWith("r.cfg:" + p.line() + ": '" + p.keyword() + "': "), p.getMessage());
            assertTrue(!p.getMessage().contains("\n"), p.getMessage());
        }
        return e.all().stream().map(p -> p.line() + ":" + p.keyword()).collect(Collectors.toList());
    }

    @Test
    void everyBadLineOfEverySectionIsReportedInLineOrder() {
        assertEquals(List.of("2:treads", "3:pipe-size", "5:balance", "6:bind", "8:server", "9:server",
                        "10:colour", "12:bind", "13:server"),
                problems(String.join("\n",
                        "global",
                        "  treads 2",                           // 2 unknown keyword
                        "  pipe-size 1t",                       // 3 not a size
                        "listen web",
                        "  balance fastest",                    // 5 unknown algorithm
                        "  bind localhost:80",                  // 6 not numeric
                        "  bind 127.0.0.1:8080",
                        "  server a 10.0.0.1:80 weight 999",    // 8 out of range
                        "  server a 10.0.0.2:80",               // 9 duplicate name (line 8 named a too)
                        "  colour red",                         // 10 unknown keyword
                        "listen api",
                        "  bind 127.0.0.1:8080",                // 12 duplicate bind (found when the section ends)
                        "  server b 10.0.0.3:80 wieght 2")));   // 13 unknown server option
    }

    @Test
    void aSectionWithABadHeaderIsStillReadButNotCheckedAsAWhole() {
        // the missing name is the one problem of lines 1..3; lines 2 and 3 are still checked
        assertEquals(List.of("1:listen", "3:server"), problems(String.join("\n",
                "listen",
                "  bind 127.0.0.1:1",
                "  server a 10.0.0.1:80 inter 1ms")));
        assertEquals(List.of("1:listen", "4:listen", "4:listen"), problems(String.join("\n",
                "listen bad/name",
                "  bind 127.0.0.1:1",
                "  server a 10.0.0.1:80",
                "listen also")));                    // a good header: no bind, no server
    }

    @Test
    void aBadLineIsNotRepeatedAsAMissingOne() {
        // a bind, a server or an option httpchk that was written but is bad: no "has no bind/server", no
        // "http-check needs option httpchk" on top of it
        assertEquals(List.of("2:bind", "3:server"), problems("listen web\n bind *:80\n server a web1:80\n"));
        assertEquals(List.of("4:option"), problems("listen web\n bind 127.0.0.1:1\n server a 10.0.0.1:1\n"
                + " option httpchk health\n http-check expect status 204\n"));
        // ...but a section that never wrote one is told so
        assertEquals(List.of("1:listen", "1:listen"), problems("listen web\n balance leastconn\n"));
    }

    @Test
    void problemsOfTheWholeFileComeLast() {
        assertEquals(List.of("1:global", "3:treads", "0:listen"), problems("global x\n threads 2\n treads 3\n"));
        assertEquals(List.of("1:pool", "4:weight"), problems("pool p\n server s 1.1.1.1:1\nlisten w\n weight 3\n"
                + " bind 127.0.0.1:1\n server t 1.1.1.1:1\n"));
    }

    @Test
    void aFileWithOneProblemHasOneEntry() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse("r.cfg", List.of("listen web", " bind 127.0.0.1:1")));
        assertEquals(List.of(e), e.all());
        assertEquals("r.cfg:1: 'listen': web has no server (expected at least one 'server NAME HOST:PORT' line)",
                e.getMessage());
    }
}
