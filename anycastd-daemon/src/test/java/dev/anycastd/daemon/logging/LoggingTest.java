package dev.anycastd.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {

    private static final Logger log = LoggerFactory.getLogger(LoggingTest.class);

    @Test
    void writesEventsAtTheLevelAndAboveToTheGivenWriter() {
        StringWriter out = new StringWriter();
        Logging.configure(LogFormat.LOGFMT, LogLevel.WARNING, false, new PrintWriter(out));

        log.atInfo().log("Not shown.");
        log.atWarn().addKeyValue("service", "dns").log("Shown.");

        assertThat(out.toString().lines()).singleElement().asString()
                .contains("level=warning logger=dev.anycastd.daemon.logging.LoggingTest message=Shown. service=dns");
    }

    @Test
    void theDefaultConfigurationWritesWarningsOnlyAndStopsLogbackFromReadingFiles() {
        LoggerContext context = new LoggerContext();
        DefaultLogging defaults = new DefaultLogging();
        defaults.setContext(context);

        assertThat(defaults.configure(context)).isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("default")).isNotNull();
    }
}
