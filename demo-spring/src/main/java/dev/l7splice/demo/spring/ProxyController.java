package dev.l7splice.demo.spring;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /proxy/{size}}: the origin's {@code /bytes/{size}} through {@link HttpURLConnection},
 * streamed into the response as a {@link StreamingResponseBody}, the usual Spring MVC way to proxy a
 * large body without holding it. The upstream's Content-Length and X-Body-SHA256 (the checksum the
 * demo's client verifies) are passed on; any other upstream status answers 502. Thread-safe.
 */
@RestController
public class ProxyController {

    static final String BACKEND_PROPERTY = "l7demo.backend";
    static final String CHECKSUM_HEADER = "X-Body-SHA256";
    private static final int TIMEOUT_MILLIS = 60_000;

    private final String backend;

    public ProxyController(@Value("${" + BACKEND_PROPERTY + "}") String backend) {
        this.backend = backend;
    }

    @GetMapping("/proxy/{size}")
    public ResponseEntity<StreamingResponseBody> proxy(@PathVariable("size") long size) throws IOException {
        HttpURLConnection upstream = (HttpURLConnection) URI.create("http://" + backend + "/bytes/" + size).toURL()
                .openConnection();
        upstream.setConnectTimeout(TIMEOUT_MILLIS);
        upstream.setReadTimeout(TIMEOUT_MILLIS);
        if (upstream.getResponseCode() != HttpStatus.OK.value()) {
            upstream.disconnect();
            return ResponseEntity.status(HttpStatus.BAD_GATEWAY).build();
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM);
        long length = upstream.getContentLengthLong();
        if (length >= 0) {
            response.contentLength(length); // fixed length to the client too, as the upstream sent it
        }
        String checksum = upstream.getHeaderField(CHECKSUM_HEADER);
        if (checksum != null) {
            response.header(CHECKSUM_HEADER, checksum);
        }
        return response.body(out -> {
            try (InputStream in = upstream.getInputStream()) {
                in.transferTo(out);
            }
        });
    }
}
