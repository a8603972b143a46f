package dev.l7splice.relay;

import dev.l7splice.relay.balance.Balancer;
import dev.l7splice.relay.balance.Pool;
import dev.l7splice.relay.balance.Server;
import dev.l7splice.relay.balance.TcpCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Builds the standalone balancer from the command line: one pool, its checks, the listener. */
final class StandaloneSetup {

    private StandaloneSetup() {
    }

    static TcpBalancer start(RelayOptions o, Relay relay) throws IOException {
        List<Server> servers = new ArrayList<>();
        for (String[] s : o.servers) {
            int weight = s.length == 3 ? Integer.parseInt(s[2]) : 1;
            servers.add(new Server(s[0] + ":" + s[1], s[0], Integer.parseInt(s[1]), weight));
        }
        Pool pool = new Pool("default", servers, Balancer.named(o.balance));
        if (o.checkTcp) {
            new TcpCheck(pool, o.inter, o.rise, o.fall).start();
        }
        TcpBalancer balancer = new TcpBalancer(o.listenHost, o.listenPort, pool, relay, o.connectTimeoutMillis,
                o.retries, o.fall, o.sendProxy);
        Thread t = new Thread(balancer, "balancer-accept");
        t.setDaemon(true);
        t.start();
        return balancer;
    }
}
