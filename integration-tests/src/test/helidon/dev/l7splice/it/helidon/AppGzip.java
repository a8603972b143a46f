package dev.l7splice.it.helidon;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip response encoding for HelidonApp ({@code -Dapp.gzip=true}), as Helidon's own gzip module
 * provides one (that module does not resolve here): a request with {@code Accept-Encoding: gzip} gets
 * its body through a {@code GZIPOutputStream} over Helidon's stream, chunked.
 */
final class AppGzip implements ContentEncoding {

    @Override
    public Set<String> ids() {
        return Set.of("gzip");
    }

    @Override
    public boolean supportsEncoding() {
        return true;
    }

    @Override
    public boolean supportsDecoding() {
        return false;
    }

    @Override
    public ContentDecoder decoder() {
        return ContentDecoder.NO_OP;
    }

    @Override
    public ContentEncoder encoder() {
        return new ContentEncoder() {
            @Override
            public OutputStream apply(OutputStream network) {
                try {
                    return new GZIPOutputStream(network, true);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void headers(WritableHeaders<?> headers) {
                headers.set(HeaderValues.create(HeaderNames.CONTENT_ENCODING, "gzip"));
                headers.remove(HeaderNames.CONTENT_LENGTH);
            }
        };
    }

    @Override
    public String name() {
        return "app-gzip";
    }

    @Override
    public String type() {
        return "gzip";
    }
}
