package dev.l7splice.it.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.Browser;
import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.TagServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The stats page in a real browser (headless chromium): it shows the relay's servers and their
 * states; its drain button is refused without the token and drains with it, and the balancer then
 * sends no new connection to the drained server. A screenshot lands in target/stats-page.png.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatsPageIT {

    @TempDir
    Path dir;

    @Test
    void thePageShowsTheServersAndItsDrainButtonDrainsWithTheToken() throws Exception {
        String token = RelayProcess.writeAdminToken(dir.resolve("token"));
        try (TagServer a = new TagServer("a"); TagServer b = new TagServer("b");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("r.cfg"), String.join("\n",
                     "global", "    admin 127.0.0.1:0", "    admin-token-file " + dir.resolve("token"),
                     "listen web", "    bind 127.0.0.1:0", "    balance roundrobin",
                     "    default-server check inter 200ms",
                     "    server a " + a.address(), "    server b " + b.address(), ""));
             Browser browser = Browser.start()) {
            assertEquals("ab", relay.tag("BODY 0") + relay.tag("BODY 0"));
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(20));
            browser.driver.get("http://127.0.0.1:" + relay.adminPort + "/");

            // the DOM shows both servers, UP, with their figures and a health check result
            wait.until(d -> "UP".equals(cell(d, "a", "state")) && "UP".equals(cell(d, "b", "state")));
            wait.until(d -> cell(d, "a", "lastCheck").startsWith("L4OK"));
            assertEquals("1", cell(browser.driver, "a", "connections"));
            assertTrue(cell(browser.driver, "a", "address").endsWith(":" + a.port()));

            // without the token the relay refuses, and the page says so; nothing changes
            button(browser.driver, "a", "state=drain").click();
            wait.until(d -> d.findElement(By.id("status")).getText().startsWith("401"));
            assertTrue(relay.admin("GET", "/servers/web/a").contains("state=UP"));

            // the operator types the token: the same button drains a
            browser.driver.findElement(By.id("token")).sendKeys(token);
            browser.driver.findElement(By.id("saveToken")).click();
            button(browser.driver, "a", "state=drain").click();
            wait.until(d -> "DRAIN".equals(cell(d, "a", "state")));
            assertTrue(browser.driver.findElement(By.id("status")).getText().startsWith("200"),
                    browser.driver.findElement(By.id("status")).getText());
            assertTrue(relay.admin("GET", "/servers/web/a").contains("state=DRAIN"));

            // the balancer sends nothing more to a: real connections all reach b
            StringBuilder tags = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                tags.append(relay.tag("BODY 0"));
            }
            assertEquals("bbbbbb", tags.toString());
            wait.until(d -> "7".equals(cell(d, "b", "connections"))); // the page follows (auto-refresh)
            assertEquals("1", cell(browser.driver, "a", "connections"));
            Path shot = browser.screenshot(Path.of("target", "stats-page.png"));
            byte[] png = Files.readAllBytes(shot);
            assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG: " + shot);
        }
    }

    private static WebElement row(org.openqa.selenium.WebDriver d, String server) {
        return d.findElement(By.cssSelector("tr[data-pool='web'][data-server='" + server + "']"));
    }

    /** The text of one cell of a server's row; "" while the row is not drawn yet. */
    private static String cell(org.openqa.selenium.WebDriver d, String server, String column) {
        var rows = d.findElements(By.cssSelector("tr[data-pool='web'][data-server='" + server + "'] td." + column));
        return rows.isEmpty() ? "" : rows.get(0).getText();
    }

    private static WebElement button(org.openqa.selenium.WebDriver d, String server, String op) {
        return row(d, server).findElement(By.cssSelector("button[data-op='" + op + "']"));
    }
}
