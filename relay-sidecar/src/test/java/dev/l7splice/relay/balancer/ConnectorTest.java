package dev.l7splice.relay.balancer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.l7splice.kernel.Errno;
import org.junit.jupiter.api.Test;

/** What a finished non-blocking connect says about the server, for the passive health check. */
class ConnectorTest {

    @Test
    void aResetOrABrokenPipeMeansTheServerHadAcceptedTheConnection() {
        assertTrue(Connector.wasEstablished(0));
        assertTrue(Connector.wasEstablished(Errno.ECONNRESET), "accepted, then reset before the loop saw it");
        assertTrue(Connector.wasEstablished(Errno.EPIPE));
    }

    @Test
    void aRefusedOrUnreachableConnectIsAFailure() {
        assertFalse(Connector.wasEstablished(Errno.ECONNREFUSED));
        assertFalse(Connector.wasEstablished(110)); // ETIMEDOUT
        assertFalse(Connector.wasEstablished(113)); // EHOSTUNREACH
        assertFalse(Connector.wasEstablished(101)); // ENETUNREACH
    }
}
