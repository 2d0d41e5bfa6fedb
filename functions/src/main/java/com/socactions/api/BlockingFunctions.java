package com.socactions.api;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import com.socactions.blocking.BlockingService;
import com.socactions.blocking.DynamicListFeeds;
import com.socactions.ledger.LedgerQuery;
import com.socactions.ledger.LedgerState;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;

/** HTTP operations of the block/allow capability, the firewall feeds, and the expiry timer. */
public class BlockingFunctions {
  private final AppServices services;

  public BlockingFunctions(AppServices services) {
    this.services = services;
  }

  @FunctionName("BlockIndicators")
  public HttpResponseMessage blockIndicators(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/indicators/block",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request, context, call -> LongRequests.run(call, services, "BlockIndicators"));
  }

  @FunctionName("AllowIndicators")
  public HttpResponseMessage allowIndicators(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/indicators/allow",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request, context, call -> LongRequests.run(call, services, "AllowIndicators"));
  }

  @FunctionName("UnblockIndicators")
  public HttpResponseMessage unblockIndicators(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/indicators/unblock",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request, context, call -> LongRequests.run(call, services, "UnblockIndicators"));
  }

  @FunctionName("ListIndicators")
  public HttpResponseMessage listIndicators(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "v1/indicators",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          LedgerQuery query =
              LedgerQuery.all()
                  .withStates(states(call.query("state").orElse("active")))
                  .withPage(
                      pageSize(call.query("top")), call.query("continuation_token").orElse(null));
          query =
              call.query("provider")
                  .map(provider -> provider.strip().toLowerCase(Locale.ROOT))
                  .map(query::withProvider)
                  .orElse(query);
          query = call.query("incident_id").map(query::withIncidentId).orElse(query);
          query = call.query("value").map(query::withIndicator).orElse(query);
          return call.ok(services.blocking().service().listView(query));
        });
  }

  /**
   * An External Dynamic List for firewalls: plain text, one entry a line. Firewalls cannot send a
   * function key, so the feed has its own secret ({@code FEED_TOKEN}) as {@code ?token=} or as the
   * basic-auth password.
   */
  @FunctionName("GetFeed")
  public HttpResponseMessage getFeed(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "v1/feeds/{list}",
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("list") String list,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          DynamicListFeeds feeds = services.blocking().feeds();
          if (!feeds.isEnabled()) {
            throw ProblemException.notFound(
                "The feeds are off: set FEED_TOKEN and give it to the firewall");
          }
          if (!feeds.isAuthorized(presentedToken(call))) {
            return call.respondWithHeaders(
                401,
                "text/plain; charset=utf-8",
                "",
                "WWW-Authenticate",
                "Basic realm=\"soc-actions feeds\"");
          }
          DynamicListFeeds.Feed feed =
              feeds
                  .feed(list.toLowerCase(Locale.ROOT))
                  .orElseThrow(
                      () ->
                          ProblemException.notFound(
                              "No list '"
                                  + list
                                  + "'; the lists are "
                                  + String.join(", ", DynamicListFeeds.LISTS.keySet())));
          if (call.header("if-none-match").map(tags -> matches(tags, feed.etag())).orElse(false)) {
            return call.respondWithHeaders(
                304, "text/plain; charset=utf-8", "", "ETag", feed.etag());
          }
          return call.respondWithHeaders(
              200,
              "text/plain; charset=utf-8",
              feed.text(),
              "ETag",
              feed.etag(),
              "Cache-Control",
              "no-cache");
        });
  }

  /** Every five minutes: lifts blocks whose time has come, and retries lifts that failed before. */
  @FunctionName("ExpireBlocks")
  public void expireBlocks(
      @TimerTrigger(name = "timer", schedule = "0 */5 * * * *") String timerInfo,
      ExecutionContext context) {
    BlockingService.ExpiryReport report = services.blocking().service().expire();
    context
        .getLogger()
        .log(
            report.stillPending() > 0 ? Level.WARNING : Level.INFO,
            "Expiry: " + report.lifted() + " lifted, " + report.stillPending() + " still pending");
  }

  private static Set<LedgerState> states(String state) {
    return LedgerState.filter(state)
        .orElseThrow(
            () ->
                ProblemException.invalidField(
                    "state", "'" + state + "' is not one of " + LedgerState.filterNames()));
  }

  private static int pageSize(Optional<String> top) {
    if (top.isEmpty()) {
      return LedgerQuery.DEFAULT_PAGE_SIZE;
    }
    try {
      int size = Integer.parseInt(top.get().trim());
      if (size >= 1 && size <= 1_000) {
        return size;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw ProblemException.invalidField("top", "must be a whole number from 1 to 1000");
  }

  private static String presentedToken(Invocation call) {
    Optional<String> query = call.query("token");
    if (query.isPresent()) {
      return query.get();
    }
    return call.header("authorization")
        .filter(value -> value.regionMatches(true, 0, "Basic ", 0, 6))
        .map(
            value -> {
              try {
                String decoded =
                    new String(
                        Base64.getDecoder().decode(value.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon >= 0 ? decoded.substring(colon + 1) : decoded;
              } catch (IllegalArgumentException notBase64) {
                return null;
              }
            })
        .orElse(null);
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    for (String tag : ifNoneMatch.split(",")) {
      String trimmed = tag.trim();
      if (trimmed.equals("*") || trimmed.equals(etag) || trimmed.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }
}
