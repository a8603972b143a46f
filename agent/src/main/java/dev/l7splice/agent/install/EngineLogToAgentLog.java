package dev.l7splice.agent.install;

import dev.l7splice.agent.runtime.AgentLog;
import dev.l7splice.engine.EngineLog;

/**
 * The relay engine's lines into the agent's own logger, so they obey {@code log.level} like every
 * other agent line. Bound once by the installer, before anything can start a relay loop; a class
 * rather than a lambda (no lambda on the inline path's start-up). Thread-safe: stateless.
 */
final class EngineLogToAgentLog implements EngineLog.Sink {

    @Override
    public void info(String msg) {
        AgentLog.info(msg);
    }

    @Override
    public void warn(String msg) {
        AgentLog.warn(msg);
    }

    @Override
    public void error(String msg, Throwable t) {
        AgentLog.error(t == null ? msg : msg + " (" + t + ")");
    }
}
