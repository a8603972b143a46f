package dev.l7splice.relay.admin;

import com.sun.net.httpserver.Headers;
import dev.l7splice.relay.config.RelayConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * Who may run the admin endpoint's mutating operations (POST /servers/...): with
 * {@code admin-token-file}, a request carrying {@code Authorization: Bearer TOKEN}; with
 * {@code admin-insecure-ops} (loopback only), any request from this host; with neither, nobody.
 * Read-only pages need nothing. Either way a browser request from another site is refused (its
 * {@code Origin} differs from its {@code Host}), and without a token the {@code Host} must name
 * loopback, so a web page the operator visits cannot drive the operations (cross-site requests,
 * DNS rebinding). Immutable: the admin server's threads share one.
 */
public final class AdminAccess {

    /** Why a request is refused: the status (401 lacks or has a wrong token, 403 not allowed at all) and a line. */
    record Denial(int status, String reason) {
    }

    static final int MIN_TOKEN = 16;
    static final int MAX_TOKEN = 4096;
    private static final Pattern LOOPBACK_HOST =
            Pattern.compile("(127(\\.[0-9]{1,3}){3}|\\[::1\\]|localhost)(:[0-9]{1,5})?", Pattern.CASE_INSENSITIVE);

    /** SHA-256 of the token, null without one: comparing digests takes the same time whatever the length sent. */
    private final byte[] tokenDigest;
    private final boolean insecureOps;

    private AdminAccess(byte[] tokenDigest, boolean insecureOps) {
        this.tokenDigest = tokenDigest;
        this.insecureOps = insecureOps;
    }

    /** From the configuration; reads the token file (an IllegalArgumentException says why it is unusable). */
    public static AdminAccess from(RelayConfig.Global g) {
        if (g.adminTokenFile() != null) {
            return withToken(read(Path.of(g.adminTokenFile())));
        }
        return new AdminAccess(null, g.adminInsecureOps());
    }

    static AdminAccess withToken(String token) {
        return new AdminAccess(sha256(token), false);
    }

    static AdminAccess insecure() {
        return new AdminAccess(null, true);
    }

    static AdminAccess closed() {
        return new AdminAccess(null, false);
    }

    /** "token", "insecure (loopback)" or "off", for the start-up log. */
    public String mode() {
        return tokenDigest != null ? "token" : insecureOps ? "insecure (loopback)" : "off";
    }

    /** Null when a mutating request with these headers may run. */
    Denial check(Headers h) {
        String host = h.getFirst("Host");
        String origin = h.getFirst("Origin");
        if (origin != null && (host == null || !origin.equalsIgnoreCase("http://" + host))) {
            return new Denial(403, "cross-origin request refused (Origin " + origin + ")");
        }
        if (tokenDigest != null) {
            String auth = h.getFirst("Authorization");
            if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return new Denial(401, "this operation needs 'Authorization: Bearer TOKEN' (the admin-token-file's token)");
            }
            if (!MessageDigest.isEqual(tokenDigest, sha256(auth.substring(7).strip()))) {
                return new Denial(401, "wrong token");
            }
            return null;
        }
        if (!insecureOps) {
            return new Denial(403, "server operations are off: configure admin-token-file"
                    + " (or admin-insecure-ops with admin on loopback)");
        }
        if (host == null || !LOOPBACK_HOST.matcher(host).matches()) {
            return new Denial(403, "without a token, operations need Host: 127.0.0.1, [::1] or localhost");
        }
        return null;
    }

    /** The token: the file's text without surrounding blanks; 16..4096 visible ASCII characters. */
    static String read(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("admin-token-file " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("admin-token-file " + file + ": cannot read it: " + e);
        }
        if (token.length() < MIN_TOKEN || token.length() > MAX_TOKEN
                || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("admin-token-file " + file + ": the token must be " + MIN_TOKEN + ".."
                    + MAX_TOKEN + " visible ASCII characters with no blank inside (e.g. head -c 32 /dev/urandom"
                    + " | base64 > " + file + "), got " + token.length() + " character(s)");
        }
        return token;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
