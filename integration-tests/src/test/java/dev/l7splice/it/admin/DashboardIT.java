package dev.l7splice.it.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.it.support.RelayProcess;
import dev.l7splice.it.support.TagServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.json.Json;

/**
 * deploy/grafana-l7relay.json against a running relay's /metrics: every metric a panel queries is
 * one the relay exports, every family the relay exports has a panel, and the names follow
 * Prometheus' conventions.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardIT {

    private static final Path DASHBOARD =
            Path.of(System.getProperty("user.dir")).getParent().resolve("deploy/grafana-l7relay.json");
    private static final Pattern METRIC = Pattern.compile("\\bl7relay_[a-z0-9_]+");
    private static final Pattern HISTOGRAM_PART = Pattern.compile("_(bucket|sum|count)$");

    @TempDir
    Path dir;

    /** Families by name with their type, from a running relay that balances and takes hand-offs. */
    private Map<String, String> exported(Set<String> samples) throws Exception {
        try (TagServer a = new TagServer("a");
             RelayProcess relay = RelayProcess.withConfig(dir.resolve("r.cfg"), String.join("\n",
                     "global", "    admin 127.0.0.1:0", "    handoff-socket " + dir.resolve("h.sock"),
                     "listen web", "    bind 127.0.0.1:0", "    server a " + a.address(), ""))) {
            assertEquals("a", relay.tag("BODY 0"));
            Map<String, String> families = new TreeMap<>();
            String help = null;
            for (String line : relay.admin("GET", "/metrics").split("\n")) {
                if (line.startsWith("# HELP ")) {
                    help = line.split(" ")[2];
                } else if (line.startsWith("# TYPE ")) {
                    String[] w = line.split(" ");
                    assertEquals(w[2], help, "HELP before TYPE for " + w[2]);
                    families.put(w[2], w[3]);
                } else if (!line.isBlank()) {
                    samples.add(line.split("[{ ]", 2)[0]);
                }
            }
            return families;
        }
    }

    /** Every metric name in a query of the dashboard (panels and variables). */
    private static Set<String> queried() throws Exception {
        Object dashboard = new Json().toType(Files.readString(DASHBOARD), Json.MAP_TYPE);
        List<String> queries = new ArrayList<>();
        collect(dashboard, queries);
        assertTrue(queries.size() > 10, "the dashboard has its queries: " + queries);
        Set<String> names = new TreeSet<>();
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    private static void collect(Object node, List<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if ((k.equals("expr") || k.equals("definition")) && v instanceof String s) {
                    into.add(s);
                } else {
                    collect(v, into);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collect(v, into));
        }
    }

    @Test
    void everyQueriedMetricIsExportedAndEveryExportedFamilyIsOnTheDashboard() throws Exception {
        Set<String> samples = new TreeSet<>();
        Map<String, String> families = exported(samples);
        Set<String> queried = queried();
        for (String name : queried) {
            assertTrue(samples.contains(name), "the dashboard queries " + name + ", which the relay does not export;"
                    + " it exports " + samples);
        }
        Set<String> onDashboard = new TreeSet<>();
        queried.forEach(n -> onDashboard.add(HISTOGRAM_PART.matcher(n).replaceAll("")));
        for (String family : families.keySet()) {
            assertTrue(onDashboard.contains(family) || queried.contains(family),
                    "no panel shows " + family + " (add one to " + DASHBOARD.getFileName() + ")");
        }
    }

    @Test
    void metricNamesFollowPrometheusConventions() throws Exception {
        Map<String, String> families = exported(new TreeSet<>());
        assertTrue(families.size() > 10, families.toString());
        families.forEach((name, type) -> {
            assertTrue(name.matches("l7relay_[a-z][a-z0-9_]*"), name);
            switch (type) {
                case "counter" -> assertTrue(name.endsWith("_total"), "a counter ends with _total: " + name);
                case "gauge" -> assertTrue(!name.endsWith("_total"), "only counters end with _total: " + name);
                case "histogram" -> assertTrue(name.endsWith("_seconds") || name.endsWith("_bytes"),
                        "a histogram names its base unit: " + name);
                default -> throw new AssertionError("unexpected type " + type + " of " + name);
            }
            String base = name.replaceAll("_total$", "");
            assertTrue(!base.contains("bytes") || base.endsWith("_bytes"), "the unit _bytes comes last: " + name);
            assertTrue(!base.contains("seconds") || base.endsWith("_seconds"), "the unit _seconds comes last: " + name);
            assertTrue(!name.matches(".*_(ms|millis|milliseconds|kb|mb|kib|mib)(_.*)?$"), "base units only: " + name);
        });
    }
}
