package dev.l7splice.demo.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/** Reads one counter from the sidecar relay's admin endpoint ({@code /metrics}, Prometheus text). Stateless. */
final class RelayMetrics {

    static final String BYTES_SPLICED = "l7relay_spliced_bytes_total";
    private static final int TIMEOUT_MILLIS = 5_000;

    private RelayMetrics() {
    }

    /** The value of the unlabelled sample {@code name} on the relay's admin port, if it answers. */
    static OptionalLong read(int adminPort, String name) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + adminPort + "/metrics").openConnection();
            c.setConnectTimeout(TIMEOUT_MILLIS);
            c.setReadTimeout(TIMEOUT_MILLIS);
            try (InputStream in = c.getInputStream()) {
                return sample(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** The value of the unlabelled sample {@code name} in Prometheus text, if there is one. */
    static OptionalLong sample(String text, String name) {
        for (String line : text.split("\n")) {
            String l = line.trim();
            if (l.startsWith(name + " ")) {
                String value = l.substring(name.length()).trim();
                try {
                    return OptionalLong.of(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    try {
                        return OptionalLong.of((long) Double.parseDouble(value)); // e.g. 1.5e9
                    } catch (NumberFormatException e2) {
                        return OptionalLong.empty();
                    }
                }
            }
        }
        return OptionalLong.empty();
    }
}
