package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.testing.LogCapture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RequestLogContextTest {
  // A plain logger of ours: nothing rewrites its records behind its back.
  private static final Logger PLAIN = Logger.getLogger("com.socactions.some.Service");

  private static final RequestLog SERVICE_LOG = RequestLog.of(RequestLogContextTest.class);

  @Test
  void linesWrittenOnAnotherThreadForTheRequestCarryItsRunId() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (LogCapture capture = LogCapture.of(RequestLogContextTest.class.getName())) {
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
    try (LogCapture capture = LogCapture.of(PLAIN.getName());
        RequestLogContext.Scope ignored = RequestLogContext.open("[X run=1] ")) {
      PLAIN.warning("as written");

      assertThat(capture.lines).containsExactly("as written");
    }
  }
}
