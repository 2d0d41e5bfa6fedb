package com.socactions.enrichment.rdap;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.indicators.IpAddresses;
import com.socactions.platform.Deadline;
import com.socactions.platform.Json;
import com.socactions.platform.RequestLog;
import com.socactions.platform.UpstreamClient;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamHttp;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The IANA RDAP bootstrap registries (RFC 9224): which server answers for which address block or
 * TLD. Each file is fetched on first need and kept for a day; a failed refetch keeps the old copy;
 * a failed first fetch is remembered for a short while, so a batch fails fast with one error.
 *
 * <p>The bootstrap URL is operator configuration, so it is trusted as is (it may be http or a
 * loopback fake); the service URLs it lists are vetted like every other RDAP URL.
 */
final class Bootstrap {
  private static final RequestLog LOG = RequestLog.of(RdapClient.class);

  enum Kind {
    IPV4("ipv4.json"),
    IPV6("ipv6.json"),
    DNS("dns.json");

    final String file;

    Kind(String file) {
      this.file = file;
    }
  }

  private final HttpUrl base;
  private final UpstreamClient http;
  private final Clock clock;
  private final RdapOptions options;
  private final Map<Kind, Slot> slots = new HashMap<>();

  /**
   * @param http the kit's client for the bootstrap files (redirects followed: the files are
   *     operator configuration)
   */
  Bootstrap(HttpUrl base, UpstreamClient http, Clock clock, RdapOptions options) {
    this.base = base;
    this.http = http;
    this.clock = clock;
    this.options = options;
    for (Kind kind : Kind.values()) {
      slots.put(kind, new Slot(kind));
    }
  }

  /** Best service URL for {@code address}; throws with the reason when there is none. */
  HttpUrl serviceFor(InetAddress address, Deadline deadline) throws RdapLookupException {
    Kind kind = address instanceof Inet4Address ? Kind.IPV4 : Kind.IPV6;
    Registry registry = slots.get(kind).registry(deadline.remaining());
    int bits = IpAddresses.bitsOf(address);
    BigInteger value = IpAddresses.toBigInteger(address);
    IpEntry best = null;
    for (IpEntry entry : registry.ipEntries) {
      if (entry.length <= bits
          && (best == null || entry.length > best.length)
          && value.shiftRight(bits - entry.length).equals(entry.prefix)) {
        best = entry;
      }
    }
    if (best == null) {
      throw new RdapLookupException(
          "no RDAP service for "
              + IpAddresses.canonical(address)
              + " in the IANA bootstrap (unallocated or reserved space)");
    }
    return choose(best.urls, IpAddresses.canonical(address));
  }

  /**
   * Best service URL for a domain: the longest matching label suffix ({@code co.uk} before {@code
   * uk}).
   */
  HttpUrl serviceFor(String domain, Deadline deadline) throws RdapLookupException {
    Registry registry = slots.get(Kind.DNS).registry(deadline.remaining());
    String name = domain.toLowerCase(Locale.ROOT);
    while (true) {
      List<String> urls = registry.dnsEntries.get(name);
      if (urls != null) {
        return choose(urls, domain);
      }
      int dot = name.indexOf('.');
      if (dot < 0) {
        throw new RdapLookupException(
            "no RDAP service for ." + name + " domains in the IANA bootstrap");
      }
      name = name.substring(dot + 1);
    }
  }

  /** Refetch every file now; a failure keeps the copy in use. */
  void refresh() {
    for (Slot slot : slots.values()) {
      slot.refresh(options.callTimeout());
    }
  }

  /** Loads the IPv4 file if nothing was ever loaded; quick, for the health check. */
  void tryLoadOnce(Duration timeout) {
    if (fetchedAt() == null) {
      try {
        slots.get(Kind.IPV4).registry(timeout);
      } catch (RdapLookupException ignored) {
        // reported through lastError()
      }
    }
  }

  /** When the oldest file in use was fetched; null when none has been. */
  Instant fetchedAt() {
    Instant oldest = null;
    for (Slot slot : slots.values()) {
      Registry r = slot.current;
      if (r != null && (oldest == null || r.fetchedAt.isBefore(oldest))) {
        oldest = r.fetchedAt;
      }
    }
    return oldest;
  }

  String lastError() {
    for (Slot slot : slots.values()) {
      if (slot.lastError != null) {
        return slot.lastError;
      }
    }
    return null;
  }

  boolean anyLoaded() {
    return fetchedAt() != null;
  }

  HttpUrl base() {
    return base;
  }

  private HttpUrl choose(List<String> urls, String subject) throws RdapLookupException {
    HttpUrl insecure = null;
    for (String url : urls) {
      HttpUrl parsed = HttpUrl.parse(url.endsWith("/") ? url : url + "/");
      if (parsed == null) {
        continue;
      }
      if (parsed.isHttps()) {
        return parsed;
      }
      if (insecure == null) {
        insecure = parsed;
      }
    }
    if (insecure != null && options.allowInsecure()) {
      return insecure;
    }
    if (insecure != null) {
      throw new RdapLookupException(
          "refused RDAP URL "
              + insecure
              + " for "
              + subject
              + ": not https (RDAP_ALLOW_INSECURE is for local tests only)");
    }
    throw new RdapLookupException(
        "no usable RDAP service URL for " + subject + " in the IANA bootstrap");
  }

  private record IpEntry(BigInteger prefix, int length, List<String> urls) {}

  private record Registry(
      List<IpEntry> ipEntries, Map<String, List<String>> dnsEntries, Instant fetchedAt) {}

  /** One bootstrap file: its copy in use, and the memory of the last failure. */
  private final class Slot {
    private final Kind kind;
    private volatile Registry current;
    private volatile String lastError;
    private volatile Instant lastFailureAt;

    Slot(Kind kind) {
      this.kind = kind;
    }

    HttpUrl url() {
      return base.resolve(kind.file);
    }

    Registry registry(Duration timeLeft) throws RdapLookupException {
      Registry r = current;
      Instant now = clock.instant();
      if (r != null && now.isBefore(r.fetchedAt.plus(options.bootstrapTtl()))) {
        return r;
      }
      synchronized (this) {
        r = current;
        now = clock.instant();
        if (r != null && now.isBefore(r.fetchedAt.plus(options.bootstrapTtl()))) {
          return r;
        }
        if (recentlyFailed(now)) {
          if (r != null) {
            return r; // stale but usable; the next try is after the failure memory
          }
          throw new RdapLookupException(lastError);
        }
        try {
          current = fetch(timeLeft);
          lastError = null;
          lastFailureAt = null;
          return current;
        } catch (RdapLookupException e) {
          lastError = e.getMessage();
          lastFailureAt = clock.instant();
          if (r != null) {
            LOG.warning(
                () -> e.getMessage() + "; keeping the copy fetched at " + current.fetchedAt);
            return r;
          }
          LOG.warning(e::getMessage);
          throw e;
        }
      }
    }

    synchronized void refresh(Duration timeout) {
      try {
        current = fetch(timeout);
        lastError = null;
        lastFailureAt = null;
      } catch (RdapLookupException e) {
        lastError = e.getMessage();
        lastFailureAt = clock.instant();
        LOG.warning(
            () ->
                e.getMessage()
                    + (current == null
                        ? ""
                        : "; keeping the copy fetched at " + current.fetchedAt));
      }
    }

    private boolean recentlyFailed(Instant now) {
      Instant failed = lastFailureAt;
      return failed != null && now.isBefore(failed.plus(options.bootstrapFailureTtl()));
    }

    private Registry fetch(Duration timeLeft) throws RdapLookupException {
      HttpUrl url = url();
      String unreachable = "RDAP bootstrap " + RdapHttp.redact(url) + " unreachable: ";
      if (timeLeft.isZero()) {
        throw new RdapLookupException(unreachable + "no time left");
      }
      Request request =
          new Request.Builder().url(url).header("Accept", "application/json").get().build();
      UpstreamHttp.Reply reply;
      try {
        Duration timeout =
            timeLeft.compareTo(options.callTimeout()) < 0 ? timeLeft : options.callTimeout();
        reply = http.call(() -> http.exchange(request, timeout));
      } catch (UpstreamException noAnswer) {
        throw new RdapLookupException(
            unreachable
                + (noAnswer.getCause() instanceof IOException io
                    ? RdapHttp.reason(io)
                    : "connection failed"));
      }
      if (reply.status() != 200) {
        throw new RdapLookupException(unreachable + "HTTP " + reply.status());
      }
      JsonNode root;
      try {
        root = Json.UPSTREAM.readTree(reply.body());
      } catch (IOException e) {
        throw new RdapLookupException(unreachable + RdapHttp.reason(e));
      }
      return parse(root, url);
    }

    private Registry parse(JsonNode root, HttpUrl url) throws RdapLookupException {
      JsonNode services = root.path("services");
      if (!services.isArray() || services.isEmpty()) {
        throw new RdapLookupException(
            "RDAP bootstrap "
                + RdapHttp.redact(url)
                + " is not a bootstrap registry (no services)");
      }
      List<IpEntry> ipEntries = new ArrayList<>();
      Map<String, List<String>> dnsEntries = new HashMap<>();
      for (JsonNode service : services) {
        List<String> urls = new ArrayList<>();
        service.path(1).forEach(u -> urls.add(u.asText()));
        if (urls.isEmpty()) {
          continue;
        }
        for (JsonNode entry : service.path(0)) {
          String text = entry.asText().trim().toLowerCase(Locale.ROOT);
          if (kind == Kind.DNS) {
            dnsEntries.put(
                text.endsWith(".") ? text.substring(0, text.length() - 1) : text,
                List.copyOf(urls));
            continue;
          }
          int slash = text.indexOf('/');
          InetAddress prefix =
              IpAddresses.parse(slash < 0 ? text : text.substring(0, slash)).orElse(null);
          if (prefix == null) {
            continue;
          }
          int length;
          try {
            length =
                slash < 0
                    ? IpAddresses.bitsOf(prefix)
                    : Integer.parseInt(text.substring(slash + 1));
          } catch (NumberFormatException e) {
            continue;
          }
          if (length < 0 || length > IpAddresses.bitsOf(prefix)) {
            continue;
          }
          ipEntries.add(new IpEntry(IpRanges.prefix(prefix, length), length, List.copyOf(urls)));
        }
      }
      return new Registry(List.copyOf(ipEntries), Map.copyOf(dnsEntries), clock.instant());
    }
  }
}
