package dev.l7splice.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loggers for the demo apps. slf4j-simple reads its level once, when the first logger is made;
 * setting warn here (unless the user chose a level with -D) keeps every app quiet by default,
 * whether it runs as a main or inside another program.
 */
public final class DemoLog {

    public static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private DemoLog() {
    }

    public static Logger get(Class<?> owner) {
        if (System.getProperty(LEVEL_PROPERTY) == null) {
            System.setProperty(LEVEL_PROPERTY, "warn");
        }
        return LoggerFactory.getLogger(owner);
    }
}
