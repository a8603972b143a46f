package dev.l7splice.relay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stats page is one self-contained file; the JSON it reads escapes what it quotes. */
@Timeout(30)
class StatsPageTest {

    @Test
    void thePageFetchesNothingFromElsewhere() {
        String html = new String(StatsPage.html(), StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(Pattern.compile("(?i)https?:|\\bsrc\\s*=|<link|@import|url\\(").matcher(html).find(),
                "no external asset: works offline");
        assertTrue(html.contains("fetch(\"/stats.json\""));
        assertTrue(html.contains("sessionStorage") && !html.contains("localStorage"), "the token stays in the tab");
        assertFalse(html.contains("innerHTML"), "names and check results are set as text, never parsed as HTML");
    }

    @Test
    void thePageMayNotBeFramedNorLoadScriptsOfOthers() {
        assertEquals("DENY", StatsPage.HEADERS.get("X-Frame-Options"));
        assertTrue(StatsPage.HEADERS.get("Content-Security-Policy").contains("default-src 'none'"));
        assertTrue(StatsPage.HEADERS.get("Content-Security-Policy").contains("frame-ancestors 'none'"));
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\u000a\\u2028\"", StatsJson.string("a\"b\\c\n\u2028"));
        assertEquals("\"L4OK in 0 ms\"", StatsJson.string("L4OK in 0 ms"));
    }
}
