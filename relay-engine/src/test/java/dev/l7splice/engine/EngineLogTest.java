package dev.l7splice.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineLogTest {

    @AfterEach
    void unbind() {
        EngineLog.bind(null);
    }

    @Test
    void linesGoToTheBoundSink() {
        List<String> lines = new ArrayList<>();
        EngineLog.bind(new EngineLog.Sink() {
            @Override
            public void info(String msg) {
                lines.add("info " + msg);
            }

            @Override
            public void warn(String msg) {
                lines.add("warn " + msg);
            }

            @Override
            public void error(String msg, Throwable t) {
                lines.add("error " + msg + " " + t);
            }
        });
        EngineLog.info("a");
        EngineLog.warn("b");
        EngineLog.error("c");
        EngineLog.error("d", new IllegalStateException("x"));
        assertEquals(List.of("info a", "warn b", "error c null", "error d java.lang.IllegalStateException: x"), lines);
    }
}
