package dev.l7splice.relay.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BalancerTest {

    private static List<Server> servers(int... weights) {
        List<Server> out = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            out.add(new Server("s" + (char) ('a' + i), "127.0.0.1", 9000 + i, weights[i]));
        }
        return out;
    }

    private static String names(Pool p, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Server s = p.take("k");
            sb.append(s.name.charAt(1));
            p.drop(s);
        }
        return sb.toString();
    }

    @Test
    void roundRobinRotatesInOrder() {
        Pool p = new Pool("p", servers(1, 1, 1), Balancer.named("roundrobin"));
        assertEquals("abcabcabc", names(p, 9));
    }

    @Test
    void roundRobinWeightsAreSmoothAndExact() {
        Pool p = new Pool("p", servers(5, 1, 1), Balancer.named("roundrobin"));
        assertEquals("aabacaa", names(p, 7));
        Map<Character, Integer> count = new HashMap<>();
        for (char c : names(p, 7000).toCharArray()) {
            count.merge(c, 1, Integer::sum);
        }
        assertEquals(5000, count.get('a'));
        assertEquals(1000, count.get('b'));
    }

    @Test
    void downServersAreSkippedAndComeBack() {
        Pool p = new Pool("p", servers(1, 1, 1), Balancer.named("roundrobin"));
        Server b = p.servers().get(1);
        p.markDown(b, "test");
        assertEquals("acacac", names(p, 6));
        p.markUp(b, "test");
        assertTrue(names(p, 6).contains("b"));
        for (Server s : p.servers()) {
            p.markDown(s, "test");
        }
        assertNull(p.take("k"), "all down: none");
    }

    @Test
    void leastConnSendsNewConnectionsToTheLeastLoaded() {
        Pool p = new Pool("p", servers(1, 1, 1), Balancer.named("leastconn"));
        Server first = p.take("k");
        Server second = p.take("k");
        Server third = p.take("k");
        assertEquals(3, List.of(first, second, third).stream().distinct().count(), "spread while equal");
        p.drop(second);
        assertSame(second, p.take("k"), "the one that finished gets the next");
        p.drop(first);
        p.drop(third);
        Server x = p.take("k");
        Server y = p.take("k");
        assertTrue(x != y && x != second && y != second, "ties go round robin among the least loaded");
    }

    @Test
    void leastConnRespectsWeights() {
        Pool p = new Pool("p", servers(3, 1), Balancer.named("leastconn"));
        Map<Character, Integer> held = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            held.merge(p.take("k").name.charAt(1), 1, Integer::sum); // long-lived: never dropped
        }
        assertEquals(300, held.get('a'), 2);
        assertEquals(100, held.get('b'), 2);
    }

    @Test
    void randomOfTwoStaysCloseToEven() {
        Pool p = new Pool("p", servers(1, 1, 1, 1), Balancer.named("random"));
        Map<Character, Integer> held = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            held.merge(p.take("k").name.charAt(1), 1, Integer::sum);
        }
        for (int n : held.values()) {
            assertTrue(Math.abs(n - 1000) < 60, "two choices keep the load close to even: " + held);
        }
    }

    @Test
    void hashIsStickyAndAddingAServerMovesAboutOneNth() {
        List<Server> four = servers(1, 1, 1, 1);
        List<Server> five = servers(1, 1, 1, 1, 1);
        Pool p4 = new Pool("p", four, Balancer.named("hash"));
        Pool p5 = new Pool("p", five, Balancer.named("source"));
        int moved = 0;
        int keys = 20_000;
        for (int i = 0; i < keys; i++) {
            String key = "10.0." + (i / 250) + "." + (i % 250);
            String a = p4.take(key).name;
            assertEquals(a, p4.take(key).name, "sticky");
            String b = p5.take(key).name;
            if (!a.equals(b)) {
                moved++;
                assertEquals("se", b, "a moved key goes to the new server only");
            }
        }
        double share = moved / (double) keys;
        assertTrue(share > 0.15 && share < 0.25, "about 1/5 of the keys move: " + share);
    }

    @Test
    void firstFillsTheFirstServerBeforeTheNext() {
        Pool p = new Pool("p", servers(1, 1, 1), new First(2));
        assertEquals("s a", "s " + p.take("k").name.charAt(1));
        assertEquals('a', p.take("k").name.charAt(1));
        assertEquals('b', p.take("k").name.charAt(1), "a is full");
    }

    @Test
    void unknownAlgorithmAndBadWeightAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Balancer.named("fastest"));
        assertTrue(e.getMessage().contains("fastest"));
        assertThrows(IllegalArgumentException.class, () -> new Server("x", "h", 1, 300));
    }
}
