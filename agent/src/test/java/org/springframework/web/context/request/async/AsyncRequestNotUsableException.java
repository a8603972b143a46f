package org.springframework.web.context.request.async;

import java.io.IOException;

/** Test stand-in with spring-web's exact name: what Spring raises once a request is no longer usable. */
public class AsyncRequestNotUsableException extends IOException {

    public AsyncRequestNotUsableException(String message) {
        super(message);
    }

    public AsyncRequestNotUsableException(String message, Throwable cause) {
        super(message, cause);
    }
}
