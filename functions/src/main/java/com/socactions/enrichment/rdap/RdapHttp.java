package com.socactions.enrichment.rdap;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.indicators.IpAddresses;
import com.socactions.platform.Json;
import com.socactions.platform.RequestLog;
import com.socactions.platform.Sleeper;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamHttp;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One RDAP query: vets every URL (https, public address), follows redirects itself (RIRs send each
 * other's clients across), and runs each exchange through its host's resilience policies. Every
 * failure comes out as a {@link RdapLookupException} whose message an analyst can read.
 */
final class RdapHttp {
  static final String ACCEPT = "application/rdap+json, application/json";
  private static final RequestLog LOG = RequestLog.of(RdapClient.class);

  private final OkHttpClient http;
  private final RdapOptions options;
  private final HostPolicies policies;
  private final Clock clock;
  private final Ticker ticker;
  private final Sleeper sleeper;

  RdapHttp(
      OkHttpClient http,
      RdapOptions options,
      HostPolicies policies,
      Clock clock,
      Ticker ticker,
      Sleeper sleeper) {
    this.http = http;
    this.options = options;
    this.policies = policies;
    this.clock = clock;
    this.ticker = ticker;
    this.sleeper = sleeper;
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
   * The attempts of one exchange with one host, in an explicit loop: each waits for the host's rate
   * limiter and asks its circuit breaker; a retryable failure (no answer, 408, 429, 5xx) is tried
   * again after {@link HostPolicies#backoff}, up to {@code maxAttempts}, never past the deadline.
   */
  private Exchange exchange(HttpUrl url, Deadline deadline) throws RdapLookupException {
    String host = hostKey(url);
    HostPolicies.Host policy = policies.host(host);
    Duration throttledFor = Duration.ZERO;
    for (int attempt = 1; ; attempt++) {
      if (deadline.passed()) {
        throw new BudgetExhausted();
      }
      awaitRateLimit(policy, host, deadline, throttledFor);
      if (!policy.breaker.tryAcquirePermission()) {
        LOG.warning(() -> "RDAP circuit open for " + host);
        throw new RdapLookupException(
            host
                + " is failing; circuit open, retry after "
                + policies.secondsUntilHalfOpen(host)
                + " s");
      }
      long started = policy.breaker.getCurrentTimestamp();
      UpstreamException failed;
      try {
        Exchange exchange = attempt(url, host, deadline);
        policy.breaker.onSuccess(
            policy.breaker.getCurrentTimestamp() - started, policy.breaker.getTimestampUnit());
        return exchange;
      } catch (UpstreamException e) {
        policy.breaker.onError(
            policy.breaker.getCurrentTimestamp() - started, policy.breaker.getTimestampUnit(), e);
        failed = e;
      } catch (Stop stop) {
        policy.breaker.releasePermission(); // neither a success nor a failure of the server
        if (stop.budget) {
          throw new BudgetExhausted();
        }
        throw new RdapLookupException(stop.getMessage());
      }
      Duration wait = policies.backoff(attempt, failed, deadline);
      if (failed.failure() == UpstreamFailure.THROTTLED) {
        // Every instance holds back from this host as long as it asked (this call's deadline
        // caps only this call's wait), and this call's next turn comes after that.
        throttledFor = failed.retryAfter().orElse(wait);
        policy.budget.throttled(throttledFor);
      }
      if (!failed.isRetryable() || attempt >= options.maxAttempts()) {
        throw explain(failed, url, host, attempt, deadline);
      }
      if (failed.failure() != UpstreamFailure.THROTTLED) {
        sleep(wait);
      }
    }
  }

  /**
   * Waits for the host's turn (at most {@code rateLimitWait}, or as long as a 429 asked, and never
   * past the deadline); refuses when it is further away.
   */
  private void awaitRateLimit(
      HostPolicies.Host policy, String host, Deadline deadline, Duration throttledFor)
      throws RdapLookupException {
    Duration most =
        throttledFor.compareTo(options.rateLimitWait()) > 0
            ? throttledFor
            : options.rateLimitWait();
    Duration left = deadline.remaining();
    try {
      policy.budget.acquire(most.compareTo(left) > 0 ? left : most);
    } catch (UpstreamException e) {
      if (e.failure() != UpstreamFailure.THROTTLED) {
        throw new BudgetExhausted(); // interrupted: the batch was cancelled
      }
      LOG.warning(() -> "RDAP call budget used up for " + host);
      throw new RdapLookupException(
          "too many RDAP calls to "
              + host
              + " right now (at most "
              + options.rateLimitPerSecond()
              + " a second for every instance of the app); try again in "
              + e.retryAfter().map(RdapHttp::seconds).orElse(1L)
              + " s");
    }
  }

  private void sleep(Duration wait) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the batch was cancelled: its budget is spent
      throw new BudgetExhausted();
    }
  }

  /** The analyst's sentence for the last failure of an exchange. */
  private RdapLookupException explain(
      UpstreamException failed, HttpUrl url, String host, int tries, Deadline deadline) {
    if (deadline.passed()) {
      throw new BudgetExhausted();
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

  private Exchange attempt(HttpUrl url, String host, Deadline deadline) {
    Duration left = deadline.remaining();
    if (left.isZero()) {
      throw new Stop(null, true);
    }
    Request request = new Request.Builder().url(url).header("Accept", ACCEPT).get().build();
    Call call = http.newCall(request);
    long timeoutMillis = Math.max(1, Math.min(options.callTimeout().toMillis(), left.toMillis()));
    call.timeout().timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    long started = ticker.read();
    try (Response response = call.execute()) {
      String body = readLimited(response.body());
      int code = response.code();
      LOG.fine(
          () ->
              "RDAP GET "
                  + redact(url)
                  + " -> "
                  + code
                  + " in "
                  + (ticker.read() - started) / 1_000_000
                  + " ms");
      // 501 Not Implemented is the server's final word (RFC 9083 error object), not trouble.
      if (code == 408 || code == 429 || (code >= 500 && code != 501)) {
        Duration retryAfter = UpstreamHttp.retryAfter(response, clock);
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
        throw UpstreamException.answered(host, code, "HTTP " + code, body, retryAfter);
      }
      return new Exchange(code, response.header("Location"), body);
    } catch (PublicAddressDns.RefusedAddressException refused) {
      throw new Stop("refused RDAP URL " + redact(url) + ": " + refused.getMessage(), false);
    } catch (IOException e) {
      if (deadline.passed()) {
        throw new Stop(null, true);
      }
      String reason = reason(e);
      LOG.fine(() -> "RDAP GET " + redact(url) + " -> no answer (" + reason + ")");
      throw new UpstreamException(host, reason, e);
    }
  }

  private String readLimited(ResponseBody body) throws IOException {
    if (body == null) {
      return "";
    }
    BufferedSource source = body.source();
    if (source.request(options.maxBodyBytes() + 1)) {
      throw new IOException("answer larger than " + options.maxBodyBytes() + " bytes");
    }
    return source.readUtf8();
  }

  private static JsonNode parseJson(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return Json.UPSTREAM.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
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
