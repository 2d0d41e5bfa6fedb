package com.socactions.enrichment.rdap;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.indicators.IpAddresses;
import com.socactions.platform.CallBudget;
import com.socactions.platform.CircuitOpenException;
import com.socactions.platform.Deadline;
import com.socactions.platform.RequestLog;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamClient;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamHttp;
import com.socactions.platform.UpstreamJson;
import com.socactions.platform.UpstreamPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * One RDAP query: vets every URL (https, public address), follows redirects itself (RIRs send each
 * other's clients across), and runs each exchange through its host's {@link UpstreamPolicy} (the
 * attempts, back-off, {@code Retry-After}, circuit breaker, call budget) within the lookup's {@link
 * Deadline}, on the kit's client for RDAP. Every failure comes out as a {@link RdapLookupException}
 * whose message an analyst can read.
 */
final class RdapHttp {
  static final String ACCEPT = "application/rdap+json, application/json";
  private static final RequestLog LOG = RequestLog.of(RdapClient.class);

  private final UpstreamClient http;
  private final RdapOptions options;
  private final HostPolicies policies;

  /**
   * @param http the kit's client for RDAP servers: no redirects followed, a resolver that refuses
   *     non-public addresses, answers bounded to {@link RdapOptions#maxBodyBytes()}
   */
  RdapHttp(UpstreamClient http, RdapOptions options, HostPolicies policies) {
    this.http = http;
    this.options = options;
    this.policies = policies;
  }

  /** The answer of a successful query: the JSON object, where it came from, and who answered. */
  record Answer(JsonNode body, HttpUrl url, String registry) {}

  /**
   * GETs {@code url}, following up to {@code maxRedirects} redirects.
   *
   * @param subject what is looked up, for messages ({@code 1.1.1.1}, {@code example.com})
   * @throws RdapLookupException with an analyst's sentence; {@link
   *     RdapLookupException#isNotFound()} on 404
   * @throws BudgetExhausted when the deadline passed before an answer
   */
  Answer get(HttpUrl url, String subject, Deadline deadline) throws RdapLookupException {
    HttpUrl current = url;
    for (int hop = 0; ; hop++) {
      vet(current);
      Exchange exchange = exchange(current, deadline);
      if (exchange.isRedirect()) {
        if (hop >= options.maxRedirects()) {
          throw new RdapLookupException(
              "RDAP query for "
                  + subject
                  + " was redirected more than "
                  + options.maxRedirects()
                  + " times (last to "
                  + current
                  + ")");
        }
        HttpUrl next = exchange.location == null ? null : current.resolve(exchange.location);
        if (next == null) {
          throw new RdapLookupException(
              hostKey(current)
                  + " redirected the query for "
                  + subject
                  + " without a usable Location");
        }
        String from = redact(current);
        LOG.fine(() -> "RDAP redirect " + exchange.status + " " + from + " -> " + redact(next));
        current = next;
        continue;
      }
      JsonNode body = parseJson(exchange.body);
      String registry = RdapParser.registryName(current, body);
      if (exchange.status == 200) {
        if (body == null || !body.isObject()) {
          throw new RdapLookupException(
              registry
                  + " answered the query for "
                  + subject
                  + " with something that is not RDAP JSON");
        }
        return new Answer(body, current, registry);
      }
      if (exchange.status == 404) {
        throw RdapLookupException.notFound("no RDAP record for " + subject + " at " + registry);
      }
      String explained = RdapParser.errorSummary(body);
      throw new RdapLookupException(
          registry
              + " could not answer the query for "
              + subject
              + ": HTTP "
              + exchange.status
              + (explained == null ? "" : " (" + explained + ")"));
    }
  }

  /** https only, no credentials in the URL, and IP literals must be public (names: see the Dns). */
  private void vet(HttpUrl url) throws RdapLookupException {
    if (!url.isHttps() && !options.allowInsecure()) {
      throw new RdapLookupException(
          "refused RDAP URL "
              + redact(url)
              + ": not https (RDAP_ALLOW_INSECURE is for local tests only)");
    }
    if (!url.username().isEmpty() || !url.password().isEmpty()) {
      throw new RdapLookupException("refused RDAP URL " + redact(url) + ": it carries credentials");
    }
    // OkHttp connects to literal addresses without asking its Dns, so they are checked here.
    InetAddress literal = IpAddresses.parse(url.host()).orElse(null);
    if (literal != null) {
      String why = AddressPolicy.whyNotPublic(literal, options.allowLoopback());
      if (why != null) {
        throw new RdapLookupException(
            "refused RDAP URL " + redact(url) + ": " + url.host() + " is a " + why);
      }
    }
  }

  /**
   * The attempts of one exchange with one host, through the host's policy: each waits for the
   * host's call budget (at most {@code rateLimitWait}, or as long as a 429 asked) and asks its
   * circuit breaker; a retryable failure (no answer, 408, 429, 5xx) is tried again after the
   * back-off or the server's {@code Retry-After}, up to {@code maxAttempts}, never past the
   * deadline.
   */
  private Exchange exchange(HttpUrl url, Deadline deadline) throws RdapLookupException {
    String host = hostKey(url);
    HostPolicies.Host policy = policies.host(host);
    int[] attempts = {0};
    try {
      return policy.policy.call(
          budget(policy, host),
          deadline,
          () -> {
            attempts[0]++;
            return attempt(url, host, deadline);
          });
    } catch (CircuitOpenException open) {
      LOG.warning(() -> "RDAP circuit open for " + host);
      throw new RdapLookupException(
          host
              + " is failing; circuit open, retry after "
              + open.retryAfter().map(RdapHttp::seconds).orElse(1L)
              + " s");
    } catch (UpstreamException failed) {
      throw explain(failed, url, host, attempts[0], deadline);
    } catch (Stop stop) {
      if (stop.budget) {
        throw new BudgetExhausted();
      }
      throw new RdapLookupException(stop.getMessage());
    }
  }

  /**
   * The host's call budget, its refusal told in the analyst's words: a turn further away than the
   * wait allowed is "too many calls"; an interrupted wait means the batch was cancelled.
   */
  private CallBudget budget(HostPolicies.Host policy, String host) {
    return new CallBudget() {
      @Override
      public void acquire(Duration maxWait) {
        try {
          policy.budget.acquire(maxWait);
        } catch (UpstreamException e) {
          if (e.failure() != UpstreamFailure.THROTTLED) {
            throw new BudgetExhausted(); // interrupted: the batch was cancelled
          }
          LOG.warning(() -> "RDAP call budget used up for " + host);
          throw new Stop(
              "too many RDAP calls to "
                  + host
                  + " right now (at most "
                  + options.rateLimitPerSecond()
                  + " a second for every instance of the app); try again in "
                  + e.retryAfter().map(RdapHttp::seconds).orElse(1L)
                  + " s",
              false);
        }
      }

      @Override
      public void throttled(Duration wait) {
        policy.budget.throttled(wait);
      }
    };
  }

  /** The analyst's sentence for the last failure of an exchange. */
  private RdapLookupException explain(
      UpstreamException failed, HttpUrl url, String host, int tries, Deadline deadline) {
    if (deadline.passed() || Thread.currentThread().isInterrupted()) {
      throw new BudgetExhausted(); // out of time, or the batch was cancelled
    }
    String after = tries > 1 ? " after " + tries + " attempts" : "";
    LOG.warning(() -> "RDAP " + redact(url) + " failed" + after + ": " + failed.getMessage());
    if (failed.failure() == UpstreamFailure.THROTTLED) {
      return new RdapLookupException(
          "rate limited by "
              + host
              + failed
                  .retryAfter()
                  .map(d -> "; retry after " + seconds(d) + " s")
                  .orElse("; try again later"));
    }
    if (failed.httpStatus().isEmpty()) {
      return new RdapLookupException(
          host + " did not answer (" + failed.getMessage() + ")" + after + "; try again later");
    }
    return new RdapLookupException(
        host + " failed with " + failed.answerText() + after + "; try again later");
  }

  /** One GET within what is left of the deadline; throws {@link UpstreamException} to retry. */
  private Exchange attempt(HttpUrl url, String host, Deadline deadline) {
    Duration left = deadline.remaining();
    if (left.isZero()) {
      throw new Stop(null, true);
    }
    Request request = new Request.Builder().url(url).header("Accept", ACCEPT).get().build();
    UpstreamHttp.Reply reply;
    try {
      reply = http.exchange(request, deadline.cap(options.callTimeout()));
    } catch (UpstreamException noAnswer) {
      Throwable cause = noAnswer.getCause();
      if (cause instanceof PublicAddressDns.RefusedAddressException refused) {
        throw new Stop("refused RDAP URL " + redact(url) + ": " + refused.getMessage(), false);
      }
      if (deadline.passed()) {
        throw new Stop(null, true);
      }
      String reason = cause instanceof IOException io ? reason(io) : "connection failed";
      throw new UpstreamException(host, reason, cause);
    }
    int code = reply.status();
    // 501 Not Implemented is the server's final word (RFC 9083 error object), not trouble.
    if (code == 408 || code == 429 || (code >= 500 && code != 501)) {
      Duration retryAfter = reply.retryAfter();
      if (retryAfter != null && retryAfter.compareTo(options.maxRetryAfter()) > 0) {
        LOG.warning(
            () ->
                "RDAP "
                    + host
                    + " answered "
                    + code
                    + " with Retry-After "
                    + seconds(retryAfter)
                    + " s");
        throw new Stop(
            code == 429
                ? "rate limited by " + host + "; retry after " + seconds(retryAfter) + " s"
                : host
                    + " is unavailable (HTTP "
                    + code
                    + "); retry after "
                    + seconds(retryAfter)
                    + " s",
            false);
      }
      throw UpstreamException.answered(host, code, "HTTP " + code, reply.body(), retryAfter);
    }
    return new Exchange(code, reply.headers().get("Location"), reply.body());
  }

  private static JsonNode parseJson(String body) {
    return UpstreamJson.errorBody(body).orElse(null);
  }

  /** The host, with the port when it is not the scheme's default: the unit of resilience. */
  static String hostKey(HttpUrl url) {
    return UpstreamBudgets.endpointKey(url); // and so the key of its call budget
  }

  /** The URL without any query string, which is never needed to explain and could carry tokens. */
  static String redact(HttpUrl url) {
    return url.newBuilder().query(null).fragment(null).username("").password("").build().toString();
  }

  static String reason(IOException e) {
    if (e instanceof InterruptedIOException) {
      return "timed out";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof SSLException) {
      return "TLS failure";
    }
    String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    if (message.contains("reset")
        || message.contains("end of stream")
        || message.contains("closed")) {
      return "connection reset";
    }
    if (message.contains("larger than")) {
      return "answer too large";
    }
    return "connection failed";
  }

  private static long seconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  private record Exchange(int status, String location, String body) {
    boolean isRedirect() {
      return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
  }

  /** Ends the attempts at once: not retried, not counted by the circuit breaker. */
  private static final class Stop extends RuntimeException {
    final boolean budget;

    Stop(String message, boolean budget) {
      super(message, null, false, false);
      this.budget = budget;
    }
  }

  /** The batch's time budget ran out while this item was in flight. */
  static final class BudgetExhausted extends RuntimeException {
    BudgetExhausted() {
      super("budget exhausted", null, false, false);
    }
  }
}
