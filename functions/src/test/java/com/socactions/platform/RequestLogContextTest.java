package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RequestLogContextTest {
  // A plain logger of ours: nothing rewrites its records behind its back.
  private static final Logger PLAIN = Logger.getLogger("com.socactions.some.Service");

  private static final RequestLog SERVICE_LOG = RequestLog.of(RequestLogContextTest.class);

  @Test
  void linesWrittenOnAnotherThreadForTheRequestCarryItsRunId() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Capture capture = Capture.of(RequestLogContextTest.class.getName())) {
      try (RequestLogContext.Scope ignored =
          RequestLogContext.open("[EnrichIpAddresses run=0858 correlation=c1] ")) {
        SERVICE_LOG.warning("on the request thread");
        pool.submit(RequestLogContext.wrap(() -> SERVICE_LOG.warning("on a lookup thread"))).get();
      }
      SERVICE_LOG.warning("after the request");

      assertThat(capture.lines)
          .containsExactly(
              "[EnrichIpAddresses run=0858 correlation=c1] on the request thread",
              "[EnrichIpAddresses run=0858 correlation=c1] on a lookup thread",
              "after the request");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aPlainLoggerIsLeftAloneInsideARequest() {
    try (Capture capture = Capture.of(PLAIN.getName());
        RequestLogContext.Scope ignored = RequestLogContext.open("[X run=1] ")) {
      PLAIN.warning("as written");

      assertThat(capture.lines).containsExactly("as written");
    }
  }

  /**
   * The messages one logger writes while open, collected by a handler on that logger alone (never
   * the root logger, which every other test shares), removed on close.
   */
  private static final class Capture extends Handler implements AutoCloseable {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;

    private Capture(Logger logger) {
      this.logger = logger;
    }

    static Capture of(String loggerName) {
      Capture capture = new Capture(Logger.getLogger(loggerName));
      capture.logger.addHandler(capture);
      return capture;
    }

    @Override
    public void publish(LogRecord record) {
      lines.add(record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }
}
