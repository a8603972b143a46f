package dev.l7splice.agent.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RouteTableTest {

    @Test
    void routesMatchNamesLiteralsAndResolvedAddressesOnly() throws Exception {
        RouteTable t = new RouteTable();
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 9000);
        assertSame(a, t.route(a), "empty: untouched");
        t.update("127.0.0.1:9000=41000\nOrigin.Internal:8080=41001\n[::1]:9001=41002\nbroken line\nx:y=z\n");
        assertEquals(3, t.size());
        assertEquals(new InetSocketAddress("127.0.0.1", 41000), t.route(a));
        assertEquals(new InetSocketAddress("127.0.0.1", 41001),
                t.route(InetSocketAddress.createUnresolved("origin.internal", 8080)));
        assertEquals(new InetSocketAddress("127.0.0.1", 41002),
                t.route(new InetSocketAddress(InetAddress.getByName("::1"), 9001)));
        InetSocketAddress other = new InetSocketAddress("127.0.0.1", 9002);
        assertSame(other, t.route(other), "not a route: untouched");
        t.clear();
        assertSame(a, t.route(a));
    }
}
