package dev.l7splice.demo.http;

import java.io.IOException;

/** A message head that is not HTTP/1.1 we accept: servers answer 400, proxies 400 or 502. */
public final class HeadParseException extends IOException {

    private static final long serialVersionUID = 1L;

    public HeadParseException(String message) {
        super(message);
    }
}
