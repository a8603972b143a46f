package dev.l7splice.demo;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the l7splice agent's MBean ({@code dev.l7splice:type=Agent}) of another local JVM, through
 * the attach API and that JVM's local management agent. Every call attaches afresh: nothing is
 * cached, so a restarted process with a reused pid is never read through a stale connection.
 * Thread-safe (stateless).
 */
public final class JmxStats {

    public static final String OBJECT_NAME = "dev.l7splice:type=Agent";

    /** The attributes read, in this order, with their MBean names as map keys. */
    public static final String[] ATTRIBUTES = {
        "ConnectionsOffloaded", "BytesSpliced", "BytesCopied", "Fallbacks", "FallbacksByReason",
        "TransfersHandedOff", "BytesRelayedBySidecar", "RelayFailures", "BytesSentFromFiles", "PipesOpen",
        "VirtualThreadTransfersRelayed",
    };

    private static final long POLL_MILLIS = 200;

    private JmxStats() {
    }

    /**
     * @return the attributes, or empty when the agent's MBean is not (yet) registered in that JVM
     *     (the agent registers it after its first transfer)
     * @throws UncheckedIOException when the JVM cannot be attached to or its JMX connection
     *     fails (unchecked so tests and tools can call this in expressions)
     */
    public static Optional<Map<String, Object>> read(long pid) {
        try {
            return attachAndRead(pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Map<String, Object>> attachAndRead(long pid) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to pid " + pid + ": " + e.getMessage(), e);
        }
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                return readFrom(connector.getMBeanServerConnection());
            }
        } finally {
            vm.detach();
        }
    }

    /**
     * Polls {@link #read} until the MBean is there. Attach failures are retried too, since a JVM
     * that has just started may not answer yet.
     *
     * @throws IllegalStateException when the timeout passes first (the message says why the last
     *     attempt failed) or the calling thread is interrupted (its interrupt flag is kept)
     */
    public static Map<String, Object> await(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem;
        while (true) {
            try {
                Optional<Map<String, Object>> stats = attachAndRead(pid);
                if (stats.isPresent()) {
                    return stats.get();
                }
                lastProblem = "MBean " + OBJECT_NAME + " not registered";
            } catch (IOException e) {
                lastProblem = e.toString();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("no l7splice stats from pid " + pid + " within " + timeout + ": " + lastProblem);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for l7splice stats from pid " + pid, e);
            }
        }
    }

    private static Optional<Map<String, Object>> readFrom(MBeanServerConnection server) throws IOException {
        try {
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (!server.isRegistered(name)) {
                return Optional.empty();
            }
            AttributeList list = server.getAttributes(name, ATTRIBUTES);
            Map<String, Object> values = new LinkedHashMap<>();
            for (Attribute a : list.asList()) {
                values.put(a.getName(), a.getValue());
            }
            return Optional.of(values);
        } catch (JMException e) {
            throw new IOException("reading " + OBJECT_NAME + " failed: " + e, e);
        }
    }
}
