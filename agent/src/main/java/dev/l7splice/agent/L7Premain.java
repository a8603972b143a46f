package dev.l7splice.agent;

import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} entry point. Stores nothing and decides nothing: it hands over to the
 * installer inside the agent's own class loader and makes sure that nothing the agent does can stop
 * the application from starting.
 */
public final class L7Premain {

    private L7Premain() {
    }

    public static void premain(String args, Instrumentation inst) {
        AgentStarter.start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        AgentStarter.start(args, inst);
    }
}
