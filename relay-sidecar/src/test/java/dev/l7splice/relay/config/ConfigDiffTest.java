package dev.l7splice.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.relay.config.ConfigDiff.SectionDiff;
import dev.l7splice.relay.config.RelayConfig.HostPort;
import dev.l7splice.relay.config.RelayConfig.ProxySection;
import dev.l7splice.relay.config.RelayConfig.ServerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ConfigDiffTest {

    private static final String BASE = String.join("\n",
            "global", " handoff-socket /s",
            "listen web", " bind 127.0.0.1:8080", " bind [::1]:8080",
            " server a 10.0.0.1:80", " server b 10.0.0.2:80 weight 2", " server c 10.0.0.3:80 check",
            "listen api", " bind 127.0.0.1:9090", " server x 10.0.1.1:80",
            "pool origin", " route origin.internal:80", " server o 10.0.2.1:80", "");

    @TempDir
    Path dir;

    private RelayConfig parse(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return ConfigParser.parse(f);
    }

    private static List<String> names(List<ServerSpec> servers) {
        return servers.stream().map(ServerSpec::name).toList();
    }

    @Test
    void sameFileIsEmptyEvenWhenLinesMove() throws Exception {
        ConfigDiff d = ConfigDiff.between(parse("a.cfg", BASE), parse("b.cfg", "# moved down\n\n" + BASE));
        assertTrue(d.isEmpty(), d.toString());
        assertEquals(3, d.sections().size());
        assertTrue(d.sections().stream().allMatch(SectionDiff::bindsKept));
    }

    @Test
    void bindSetsCompareAsSetsOfAddresses() throws Exception {
        String reordered = BASE.replace(" bind 127.0.0.1:8080\n bind [::1]:8080", " bind [0:0::1]:8080\n bind 127.0.0.1:8080");
        ConfigDiff d = ConfigDiff.between(parse("a.cfg", BASE), parse("b.cfg", reordered));
        assertTrue(d.isEmpty(), d.toString());
        ConfigDiff moved = ConfigDiff.between(parse("a.cfg", BASE), parse("b.cfg", BASE.replace("9090", "9091")));
        SectionDiff api = moved.sections().get(1);
        assertEquals("api", api.after().name());
        assertFalse(api.bindsKept());
        assertTrue(api.serversUnchanged());
        assertTrue(moved.sections().get(0).bindsKept());
    }

    @Test
    void serversUnchangedChangedAddedRemoved() throws Exception {
        String next = BASE.replace(" server a 10.0.0.1:80\n", " server a 10.0.0.9:80\n")
                .replace("weight 2", "weight 3")
                .replace("10.0.0.3:80 check", "10.0.0.3:80 check inter 5s maxconn 10 disabled")
                .replace(" server x 10.0.1.1:80\n", " server y 10.0.1.2:80\n");
        ConfigDiff d = ConfigDiff.between(parse("a.cfg", BASE), parse("b.cfg", next));
        SectionDiff web = d.sections().get(0);
        assertTrue(web.bindsKept());
        assertTrue(web.unchanged().isEmpty());
        assertEquals(List.of("address"), web.changed().get(0).what());
        assertEquals(new HostPort("10.0.0.9", 80), web.changed().get(0).after().address());
        assertEquals(List.of("weight"), web.changed().get(1).what());
        assertEquals(List.of("inter", "maxconn", "disabled"), web.changed().get(2).what());
        SectionDiff api = d.sections().get(1);
        assertEquals(List.of("y"), names(api.addedServers()));
        assertEquals(List.of("x"), names(api.removedServers()));
        SectionDiff origin = d.sections().get(2);
        assertEquals(List.of("o"), names(origin.unchanged()));
        assertTrue(origin.serversUnchanged());
    }

    @Test
    void sectionsAddedRemovedAndSettingsChanged() throws Exception {
        String next = BASE.replace("listen api\n bind 127.0.0.1:9090\n server x 10.0.1.1:80\n", "")
                + "listen new\n bind 127.0.0.1:7070\n server n 10.0.3.1:80\n";
        next = next.replace("pool origin\n", "pool origin\n balance leastconn\n timeout connect 1s\n route b.c:1\n");
        ConfigDiff d = ConfigDiff.between(parse("a.cfg", BASE), parse("b.cfg", next));
        assertEquals(List.of("new"), d.added().stream().map(ProxySection::name).toList());
        assertEquals(List.of("api"), d.removed().stream().map(ProxySection::name).toList());
        assertEquals(List.of("web", "origin"), d.sections().stream().map(s -> s.after().name()).toList());
        assertEquals(List.of("balance", "timeout", "route"), d.sections().get(1).settingsChanged());
        assertTrue(d.sections().get(0).settingsChanged().isEmpty());
        assertFalse(d.isEmpty());
    }

    @Test
    void globalChangesAreNamed() throws Exception {
        String next = BASE.replace(" handoff-socket /s", " handoff-socket /s\n threads 2\n grace 1m\n allow-uid 7");
        ConfigDiff d = ConfigDiff.between(parse("a.cfg", BASE), parse("b.cfg", next));
        assertEquals(List.of("threads", "allow-uid", "grace"), d.globalChanges());
        assertTrue(d.sections().stream().allMatch(s -> s.bindsKept() && s.serversUnchanged()));
    }
}
