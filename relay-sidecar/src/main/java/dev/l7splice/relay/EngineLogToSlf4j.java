package dev.l7splice.relay;

import dev.l7splice.engine.EngineLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay engine's lines (a loop that met a bug and went on) into the sidecar's slf4j, logger
 * {@code dev.l7splice.engine}, like every other line of the process. Bound by {@link RelayMain}
 * before any loop starts. Thread-safe: slf4j loggers are.
 */
final class EngineLogToSlf4j implements EngineLog.Sink {

    private final Logger log = LoggerFactory.getLogger("dev.l7splice.engine");

    @Override
    public void info(String msg) {
        log.info(msg);
    }

    @Override
    public void warn(String msg) {
        log.warn(msg);
    }

    @Override
    public void error(String msg, Throwable t) {
        log.error(msg, t);
    }
}
