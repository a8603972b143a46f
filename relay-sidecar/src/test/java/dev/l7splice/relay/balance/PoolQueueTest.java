package dev.l7splice.relay.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** maxconn, the bounded FIFO queue and its timeout, admin states and slow start, on the pool alone. */
@Timeout(30)
class PoolQueueTest {

    private static Server server(String name, int weight, int maxConn) {
        return new Server(name, "127.0.0.1", 1, weight).options(new Server.Options(maxConn, 0, 0));
    }

    @Test
    void maxconnSendsTheRestToOtherServersThenQueuesInOrder() throws Exception {
        Server a = server("a", 1, 1);
        Server b = server("b", 1, 1);
        Pool p = new Pool("p", List.of(a, b), Balancer.named("roundrobin"), 2);
        Server first = p.takeOrQueue("k", 0).server().get();
        Server second = p.takeOrQueue("k", 0).server().get();
        assertEquals(List.of(a, b), List.of(first, second));
        Waiter w1 = p.takeOrQueue("k", 0);
        Waiter w2 = p.takeOrQueue("k", 0);
        Waiter w3 = p.takeOrQueue("k", 0);
        assertFalse(w1.server().isDone());
        assertFalse(w2.server().isDone());
        assertNull(w3.server().get(), "queue of 2 is full: the third is refused at once");
        assertEquals(1, p.queueFull.get());
        assertNull(p.take("k"), "a new arrival does not jump the queue");
        p.drop(b);
        assertSame(b, w1.server().get(1, TimeUnit.SECONDS), "the oldest waiter gets the freed slot");
        assertFalse(w2.server().isDone());
        p.drop(a);
        assertSame(a, w2.server().get(1, TimeUnit.SECONDS));
        assertEquals(0, p.queued());
        assertEquals(1, a.active());
        assertEquals(1, b.active());
    }

    @Test
    void queueTimeoutEndsTheWaitAndFreesTheQueueSlot() throws Exception {
        Server a = server("a", 1, 1);
        Pool p = new Pool("p", List.of(a), Balancer.named("leastconn"), 1);
        p.take("k");
        Waiter w = p.takeOrQueue("k", 100);
        ExecutionException e = assertThrows(ExecutionException.class, () -> w.server().get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof TimeoutException);
        assertEquals(1, p.queueTimeouts.get());
        assertEquals(0, p.queued());
        p.drop(a);
        assertEquals(0, a.active(), "a timed-out waiter never holds a slot");
    }

    @Test
    void waitersAreToldAtOnceWhenTheLastServerGoesDown() throws Exception {
        Server a = server("a", 1, 1);
        Pool p = new Pool("p", List.of(a), Balancer.named("roundrobin"), 5);
        p.take("k");
        Waiter w = p.takeOrQueue("k", 0);
        p.markDown(a, "test");
        assertNull(w.server().get(1, TimeUnit.SECONDS));
        assertNull(p.takeOrQueue("k", 0).server().get(), "nothing in rotation: no queueing");
        assertEquals(1, p.noServer.get());
    }

    @Test
    void drainKeepsConnectionsButTakesNoNewOnes() {
        Server a = server("a", 1, 0);
        Server b = server("b", 1, 0);
        Pool p = new Pool("p", List.of(a, b), Balancer.named("roundrobin"));
        assertSame(a, p.take("k"));
        p.setAdmin(a, Server.AdminState.DRAIN);
        for (int i = 0; i < 5; i++) {
            assertSame(b, p.take("k"));
        }
        assertEquals(1, a.active());
        assertEquals("DRAIN", a.state());
        p.setAdmin(a, Server.AdminState.MAINT);
        assertEquals("MAINT", a.state());
        p.setAdmin(a, Server.AdminState.READY);
        assertTrue(p.take("k") == a || p.take("k") == a, "back in the rotation");
    }

    @Test
    void slowStartRampsTheWeightOfAReturningServer() throws Exception {
        Server a = server("a", 100, 0).options(new Server.Options(0, 0, 1000));
        Pool p = new Pool("p", List.of(a, server("b", 100, 0)), Balancer.named("roundrobin"));
        assertEquals(100, a.weight(), "servers start at full weight");
        p.markDown(a, "test");
        p.markUp(a, "test");
        assertTrue(a.weight() < 10, "starts low, got " + a.weight());
        Thread.sleep(500);
        int mid = a.weight();
        assertTrue(mid > 10 && mid < 100, "half-way, got " + mid);
        long deadline = System.currentTimeMillis() + 5000;
        while (a.weight() != 100 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(100, a.weight());
        assertEquals(1, SlowStart.weightAt(100, 0, 1000));
        assertEquals(50, SlowStart.weightAt(100, 500, 1000));
    }

    @Test
    void consistentHashSpillsToTheNextServerWhileTheKeysServerIsFull() {
        Server a = server("a", 1, 1);
        Server b = server("b", 1, 1);
        Pool p = new Pool("p", List.of(a, b), Balancer.named("source"));
        Server home = p.take("10.0.0.7");
        Server spill = p.take("10.0.0.7");
        assertTrue(home != spill && spill != null);
        p.drop(home);
        assertSame(home, p.take("10.0.0.7"), "back home once there is room");
    }
}
