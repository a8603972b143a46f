package dev.l7splice.it.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One demo origin for all the tests of a class, started before the first and stopped after the
 * last: {@code @RegisterExtension static final SharedOrigin ORIGIN = new SharedOrigin();}.
 */
public final class SharedOrigin implements BeforeAllCallback, AfterAllCallback {

    private JavaProcess origin;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        origin = JavaProcess.origin(Jdks.current());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (origin != null) {
            origin.close();
        }
    }

    public int port() {
        return origin.port();
    }
}
