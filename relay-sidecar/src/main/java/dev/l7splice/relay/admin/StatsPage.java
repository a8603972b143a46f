package dev.l7splice.relay.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The stats page ({@code GET /} of the admin endpoint): {@code stats.html}, one self-contained file
 * (inline CSS and script, nothing fetched from elsewhere, so it works offline) that polls
 * {@code /stats.json} and runs the server operations with the same POSTs and credential as curl.
 */
final class StatsPage {

    private StatsPage() {
    }

    /** The page, read once from the jar. */
    static byte[] html() {
        try (InputStream in = StatsPage.class.getResourceAsStream("stats.html")) {
            if (in == null) {
                throw new IllegalStateException("stats.html is missing from the relay jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The page's own script and style only, requests to this endpoint only, and never inside
     * another site's frame (whose page could make the operator click a button unawares).
     */
    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
                    + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            "X-Frame-Options", "DENY",
            "Cache-Control", "no-store");
}
