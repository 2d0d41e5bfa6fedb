package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
    List<String> lines = capture();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (RequestLogContext.Scope ignored =
        RequestLogContext.open("[EnrichIpAddresses run=0858 correlation=c1] ")) {
      SERVICE_LOG.warning("on the request thread");
      pool.submit(RequestLogContext.wrap(() -> SERVICE_LOG.warning("on a lookup thread"))).get();
    } finally {
      pool.shutdown();
      pool.awaitTermination(5, TimeUnit.SECONDS);
    }
    SERVICE_LOG.warning("after the request");

    assertThat(lines)
        .containsExactly(
            "[EnrichIpAddresses run=0858 correlation=c1] on the request thread",
            "[EnrichIpAddresses run=0858 correlation=c1] on a lookup thread",
            "after the request");
  }

  @Test
  void aPlainLoggerIsLeftAloneInsideARequest() {
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler handler = collect(PLAIN.getName(), lines);
    try (RequestLogContext.Scope ignored = RequestLogContext.open("[X run=1] ")) {
      PLAIN.warning("as written");
    } finally {
      Logger.getLogger("").removeHandler(handler);
    }

    assertThat(lines).containsExactly("as written");
  }

  private static List<String> capture() {
    List<String> lines = new CopyOnWriteArrayList<>();
    collect(RequestLogContextTest.class.getName(), lines);
    return lines;
  }

  private static Handler collect(String loggerName, List<String> lines) {
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (loggerName.equals(record.getLoggerName())) {
              lines.add(record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger.getLogger("").addHandler(handler);
    return handler;
  }
}
