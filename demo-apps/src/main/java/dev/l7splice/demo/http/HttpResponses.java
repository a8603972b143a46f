package dev.l7splice.demo.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds the small responses the demo servers send themselves. Stateless, thread-safe. */
public final class HttpResponses {

    private HttpResponses() {
    }

    public static String reason(int code) {
        switch (code) {
            case 100: return "Continue";
            case 200: return "OK";
            case 400: return "Bad Request";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 411: return "Length Required";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            default: return "Status " + code;
        }
    }

    /** A head with {@code Connection: close} and the given headers; the caller adds Content-Length. */
    public static HttpHead head(int code, List<Header> headers) {
        List<Header> all = new ArrayList<>(headers);
        all.add(new Header("Connection", "close"));
        return new HttpHead("HTTP/1.1 " + code + " " + reason(code), all);
    }

    /** Writes a complete text/plain response in one write and flushes. */
    public static void writeText(OutputStream out, int code, List<Header> headers, String body) throws IOException {
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        List<Header> all = new ArrayList<>(headers);
        all.add(new Header("Content-Type", "text/plain; charset=utf-8"));
        all.add(new Header("Content-Length", Integer.toString(bodyBytes.length)));
        byte[] headBytes = head(code, all).encode();
        byte[] message = new byte[headBytes.length + bodyBytes.length];
        System.arraycopy(headBytes, 0, message, 0, headBytes.length);
        System.arraycopy(bodyBytes, 0, message, headBytes.length, bodyBytes.length);
        out.write(message);
        out.flush();
    }
}
