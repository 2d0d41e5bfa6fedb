package com.socactions.enrichment.rdap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.socactions.testing.NoDelaySockets;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;

/**
 * A fake of the RDAP world on one loopback {@link MockWebServer}: the IANA bootstrap files and the
 * five RIRs plus a few domain registries, serving the recorded payloads of {@code
 * shared/fixtures/rdap/}.
 *
 * <ul>
 *   <li>{@code GET /bootstrap/ipv4.json} (ipv6, dns, asn): the real IANA files, every service URL
 *       rewritten to point here ({@code /apnic/}, {@code /arin/}, {@code /ripe/}, {@code /lacnic/},
 *       {@code /afrinic/}; for dns.json {@code /verisign-com/}, {@code /norid/}, {@code /cznic/},
 *       and a slug of host and path for every other TLD registry).
 *   <li>{@code GET /{registry}/ip/{address}}: like a real RIR, the most specific recorded network
 *       holding the address, for <em>any</em> address in its start..end range; a 301 to the RIR
 *       that holds it when another one does (as ARIN does for RIPE's 130.59.0.0/16); else 404 with
 *       an RFC 9083 error body.
 *   <li>{@code GET /{registry}/domain/{name}}: the recorded domain (case-insensitive), else 404.
 *       Links in bodies that point at a faked registry are rewritten to point here too.
 *   <li>Scripting: {@link #failNext}, {@link #respondNext}, {@link #resetNext}, {@link #delay},
 *       {@link #redirect}, {@link #failBootstrap}, {@link #addNetwork}, {@link #onRdapRequest},
 *       {@link #holdUntilInFlight}. Counting: {@link #requestCount(String)}, {@link
 *       #rdapRequestCount()}, {@link #bootstrapRequestCount(String)}, {@link #maxInFlight()}.
 *   <li>{@link #startHttps} serves all of it over TLS, for the https-only production path.
 * </ul>
 *
 * <p>Use: {@code try (FakeRdapServer fake = FakeRdapServer.start()) { settings
 * RDAP_BOOTSTRAP_URL=fake.bootstrapUrl(), RDAP_ALLOW_INSECURE=true; ... }}.
 */
public final class FakeRdapServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RDAP_JSON = "application/rdap+json";

  /**
   * How long a held request waits for the others before the hold gives up (a failing test, not a
   * hang).
   */
  private static final Duration HOLD_FAILSAFE = Duration.ofSeconds(5);

  /** Registry alias on the fake -> the real base URLs it stands for. */
  private static final Map<String, List<String>> REGISTRIES = new LinkedHashMap<>();

  static {
    REGISTRIES.put("apnic", List.of("https://rdap.apnic.net/", "http://rdap.apnic.net/"));
    REGISTRIES.put(
        "arin", List.of("https://rdap.arin.net/registry/", "http://rdap.arin.net/registry/"));
    REGISTRIES.put("ripe", List.of("https://rdap.db.ripe.net/", "http://rdap.db.ripe.net/"));
    REGISTRIES.put(
        "lacnic", List.of("https://rdap.lacnic.net/rdap/", "http://rdap.lacnic.net/rdap/"));
    REGISTRIES.put(
        "afrinic", List.of("https://rdap.afrinic.net/rdap/", "http://rdap.afrinic.net/rdap/"));
    REGISTRIES.put("verisign-com", List.of("https://rdap.verisign.com/com/v1/"));
    REGISTRIES.put("verisign-net", List.of("https://rdap.verisign.com/net/v1/"));
    REGISTRIES.put("norid", List.of("https://rdap.norid.no/"));
    REGISTRIES.put("cznic", List.of("https://rdap.nic.cz/"));
    REGISTRIES.put("markmonitor", List.of("https://rdap.markmonitor.com/rdap/"));
  }

  /** Fixture file prefix -> registry alias. */
  private static final Map<String, String> FIXTURE_PREFIXES =
      Map.of(
          "apnic_",
          "apnic",
          "arin_",
          "arin",
          "ripe_",
          "ripe",
          "lacnic_",
          "lacnic",
          "afrinic_",
          "afrinic",
          "verisign_com_",
          "verisign-com",
          "norid_",
          "norid",
          "cznic_",
          "cznic",
          "markmonitor_registrar_",
          "markmonitor");

  private final MockWebServer server = new MockWebServer();
  private final Path fixtures;
  private final List<Network> networks = new CopyOnWriteArrayList<>();
  private final Map<String, Map<String, String>> domainsByRegistry = new ConcurrentHashMap<>();
  private final Map<String, String> bootstrapFiles = new ConcurrentHashMap<>();
  private final Queue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
  private final Map<String, String> redirects = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> countsByRegistry = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> countsByPath = new ConcurrentHashMap<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Runnable onRdapRequest = () -> {};
  private volatile Hold hold;
  private volatile Duration delay = Duration.ZERO;
  private volatile int bootstrapFailureStatus;
  private String base;

  private FakeRdapServer(Path fixtures) {
    this.fixtures = fixtures;
  }

  /** Starts on a free loopback port and loads the fixtures. */
  public static FakeRdapServer start() throws IOException {
    return start(null);
  }

  /**
   * Starts serving https through {@code tls} (e.g. okhttp-tls {@code HandshakeCertificates} whose
   * held certificate names 127.0.0.1); every URL it hands out, bootstrap service URLs included, is
   * then https. A JDK type here, so users of the test-jar need no okhttp-tls.
   */
  public static FakeRdapServer startHttps(SSLSocketFactory tls) throws IOException {
    return start(Objects.requireNonNull(tls, "tls"));
  }

  private static FakeRdapServer start(SSLSocketFactory tls) throws IOException {
    FakeRdapServer fake = new FakeRdapServer(SharedFixtures.path("rdap"));
    if (tls != null) {
      fake.server.useHttps(tls);
    }
    fake.server.setServerSocketFactory(
        NoDelaySockets.FACTORY); // no ~40 ms delayed-ACK wait per answer
    fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
    // Literal address, not "localhost": the client resolves no names in tests.
    fake.base = (tls != null ? "https" : "http") + "://127.0.0.1:" + fake.server.getPort() + "/";
    fake.load();
    fake.server.setDispatcher(fake.new RdapDispatcher());
    return fake;
  }

  /**
   * A file under {@code shared/fixtures/rdap/}, e.g. {@code
   * error/ripe_501_nameserver_not_supported.json}.
   */
  public static String fixture(String relative) {
    return SharedFixtures.read("rdap/" + relative);
  }

  /** {@code http://127.0.0.1:PORT/} ({@code https} when started with {@link #startHttps}). */
  public HttpUrl baseUrl() {
    return HttpUrl.get(base);
  }

  /** The value for {@code RDAP_BOOTSTRAP_URL}: {@code http://127.0.0.1:PORT/bootstrap/}. */
  public String bootstrapUrl() {
    return base + "bootstrap/";
  }

  /** The fake's service URL for a registry alias, e.g. {@code registryUrl("arin")}. */
  public String registryUrl(String alias) {
    return base + alias + "/";
  }

  public int port() {
    return server.getPort();
  }

  // ---- scripting ----

  /** The next {@code n} RDAP (non-bootstrap) requests answer {@code status} with these headers. */
  public FakeRdapServer failNext(int n, int status, Map<String, String> headers) {
    for (int i = 0; i < n; i++) {
      MockResponse.Builder response =
          new MockResponse.Builder()
              .code(status)
              .addHeader("Content-Type", RDAP_JSON)
              .body(errorBody(status, "HTTP " + status, "scripted failure"));
      headers.forEach(response::addHeader);
      scripted.add(response.build());
    }
    return this;
  }

  public FakeRdapServer failNext(int n, int status) {
    return failNext(n, status, Map.of());
  }

  /** The next RDAP request gets exactly this response. */
  public FakeRdapServer respondNext(MockResponse response) {
    scripted.add(response);
    return this;
  }

  /** The next {@code n} RDAP requests have their connection closed before any answer. */
  public FakeRdapServer resetNext(int n) {
    for (int i = 0; i < n; i++) {
      // onRequestStart is read from Dispatcher.peek(), before dispatch; onResponseStart follows
      // dispatch.
      scripted.add(
          new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    }
    return this;
  }

  /** Every RDAP answer from now on waits this long before its headers. */
  public FakeRdapServer delay(Duration value) {
    this.delay = value;
    return this;
  }

  /**
   * Requests whose path starts with {@code pathPrefix} get a 301 to {@code location} followed by
   * the rest of the path; {@code location} may be an alias ({@code "ripe"}) or an absolute URL.
   */
  public FakeRdapServer redirect(String pathPrefix, String location) {
    redirects.put(pathPrefix, REGISTRIES.containsKey(location) ? registryUrl(location) : location);
    return this;
  }

  /** Bootstrap files answer {@code status} from now on (0 restores them). */
  public FakeRdapServer failBootstrap(int status) {
    this.bootstrapFailureStatus = status;
    return this;
  }

  /**
   * A network of {@code alias} from {@code start} to {@code end} (inclusive), answered like the
   * recorded ones (most specific wins), with {@code name} as its name and handle.
   */
  public FakeRdapServer addNetwork(String alias, String start, String end, String name)
      throws IOException {
    InetAddress first = InetAddress.getByName(start);
    InetAddress last = InetAddress.getByName(end);
    ObjectNode body = JSON.createObjectNode();
    body.putArray("rdapConformance").add("rdap_level_0");
    body.put("objectClassName", "ip network");
    body.put("handle", name);
    body.put("name", name);
    body.put("startAddress", start);
    body.put("endAddress", end);
    body.put("ipVersion", first.getAddress().length == 4 ? "v4" : "v6");
    networks.add(
        new Network(
            alias,
            new BigInteger(1, first.getAddress()),
            new BigInteger(1, last.getAddress()),
            first.getAddress().length,
            body.toString()));
    return this;
  }

  /** Runs {@code action} as each RDAP (non-bootstrap) request arrives, before it is answered. */
  public FakeRdapServer onRdapRequest(Runnable action) {
    this.onRdapRequest = Objects.requireNonNull(action, "action");
    return this;
  }

  /**
   * From now on, RDAP requests whose path matches {@code paths} are held until {@code n} of them
   * are in flight at once; then all go on, and later ones are not held. A client that sends them
   * one after another never gets there: after {@link #HOLD_FAILSAFE} the hold gives up and {@link
   * #maxInFlight()} tells.
   */
  public FakeRdapServer holdUntilInFlight(int n, Predicate<String> paths) {
    this.hold = new Hold(new CountDownLatch(n), paths);
    return this;
  }

  // ---- counting ----

  /** The most RDAP requests that were being answered at one time. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Every request, bootstrap included. */
  public int requestCount() {
    return total.get();
  }

  /** RDAP object requests (everything but the bootstrap files). */
  public int rdapRequestCount() {
    return countsByRegistry.entrySet().stream()
        .filter(e -> !e.getKey().equals("bootstrap"))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  /** Requests to one registry alias ({@code "arin"}), or {@code "bootstrap"}. */
  public int requestCount(String alias) {
    AtomicInteger count = countsByRegistry.get(alias);
    return count == null ? 0 : count.get();
  }

  /** Requests for one bootstrap file ({@code "ipv4.json"}). */
  public int bootstrapRequestCount(String file) {
    return requestCountForPath("/bootstrap/" + file);
  }

  public int requestCountForPath(String path) {
    AtomicInteger count = countsByPath.get(path);
    return count == null ? 0 : count.get();
  }

  /** Paths requested, in order. */
  public List<String> requestedPaths() {
    return List.copyOf(paths);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (RuntimeException ignored) {
      // closing a server with a stalled exchange may complain; nothing to keep
    }
  }

  // ---- loading ----

  private void load() throws IOException {
    for (String file : List.of("ipv4.json", "ipv6.json", "asn.json", "dns.json")) {
      Path path = fixtures.resolve("bootstrap").resolve(file);
      if (Files.exists(path)) {
        bootstrapFiles.put(file, rewriteBootstrap(JSON.readTree(path.toFile())));
      }
    }
    try (Stream<Path> files = Files.list(fixtures.resolve("ip"))) {
      for (Path path : (Iterable<Path>) files.sorted()::iterator) {
        String alias = aliasOf(path.getFileName().toString());
        JsonNode body = JSON.readTree(path.toFile());
        InetAddress start = InetAddress.getByName(body.path("startAddress").asText());
        InetAddress end = InetAddress.getByName(body.path("endAddress").asText());
        networks.add(
            new Network(
                alias,
                new BigInteger(1, start.getAddress()),
                new BigInteger(1, end.getAddress()),
                start.getAddress().length,
                rewriteLinks(body)));
      }
    }
    try (Stream<Path> files = Files.list(fixtures.resolve("domain"))) {
      for (Path path : (Iterable<Path>) files.sorted()::iterator) {
        String name = path.getFileName().toString();
        String alias = aliasOf(name);
        String domain =
            name.substring(
                    name.indexOf("domain_") + "domain_".length(), name.length() - ".json".length())
                .toLowerCase(Locale.ROOT);
        domainsByRegistry
            .computeIfAbsent(alias, k -> new ConcurrentHashMap<>())
            .put(domain, rewriteLinks(JSON.readTree(path.toFile())));
      }
    }
  }

  private static String aliasOf(String fileName) {
    return FIXTURE_PREFIXES.entrySet().stream()
        .filter(e -> fileName.startsWith(e.getKey()))
        .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length()))
        .map(Map.Entry::getValue)
        .orElseThrow(() -> new IllegalStateException("no registry for fixture " + fileName));
  }

  private String rewriteBootstrap(JsonNode root) throws IOException {
    ObjectNode copy = root.deepCopy();
    for (JsonNode service : copy.path("services")) {
      ArrayNode urls = (ArrayNode) service.get(service.size() - 1);
      Set<String> rewritten = new LinkedHashSet<>();
      urls.forEach(u -> rewritten.add(fakeUrlFor(u.asText())));
      urls.removeAll();
      rewritten.forEach(urls::add);
    }
    return JSON.writeValueAsString(copy);
  }

  private String fakeUrlFor(String real) {
    String normalized = real.endsWith("/") ? real : real + "/";
    for (Map.Entry<String, List<String>> registry : REGISTRIES.entrySet()) {
      if (registry.getValue().contains(normalized)) {
        return registryUrl(registry.getKey());
      }
    }
    String slug =
        normalized
            .replaceFirst("^https?://", "")
            .replaceAll("[^A-Za-z0-9]+", "-")
            .replaceAll("^-|-$", "")
            .toLowerCase(Locale.ROOT);
    return registryUrl(slug);
  }

  private String rewriteLinks(JsonNode body) throws IOException {
    return JSON.writeValueAsString(rewriteText(body.deepCopy()));
  }

  private JsonNode rewriteText(JsonNode node) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      List<Map.Entry<String, JsonNode>> replace = new ArrayList<>();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode value = rewriteText(field.getValue());
        if (value != field.getValue()) {
          replace.add(Map.entry(field.getKey(), value));
        }
      }
      replace.forEach(e -> ((ObjectNode) node).set(e.getKey(), e.getValue()));
      return node;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode value = rewriteText(node.get(i));
        if (value != node.get(i)) {
          ((ArrayNode) node).set(i, value);
        }
      }
      return node;
    }
    if (node.isTextual()) {
      String text = node.asText();
      for (Map.Entry<String, List<String>> registry : REGISTRIES.entrySet()) {
        for (String real : registry.getValue()) {
          if (text.startsWith(real)) {
            return TextNode.valueOf(registryUrl(registry.getKey()) + text.substring(real.length()));
          }
        }
      }
    }
    return node;
  }

  static String errorBody(int status, String title, String description) {
    ObjectNode error = JSON.createObjectNode();
    error.putArray("rdapConformance").add("rdap_level_0");
    error.put("errorCode", status);
    error.put("title", title);
    error.putArray("description").add(description);
    return error.toString();
  }

  private record Hold(CountDownLatch arrived, Predicate<String> paths) {}

  private record Network(String alias, BigInteger start, BigInteger end, int length, String body) {
    boolean holds(BigInteger address, int addressLength) {
      return addressLength == length
          && start.compareTo(address) <= 0
          && end.compareTo(address) >= 0;
    }
  }

  private final class RdapDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getUrl().encodedPath();
      total.incrementAndGet();
      paths.add(path);
      countsByPath.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
      List<String> segments = request.getUrl().pathSegments();
      String alias = segments.isEmpty() ? "" : segments.get(0);
      countsByRegistry.computeIfAbsent(alias, k -> new AtomicInteger()).incrementAndGet();

      if (alias.equals("bootstrap")) {
        return bootstrap(segments.size() > 1 ? segments.get(1) : "");
      }
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        onRdapRequest.run();
        Hold current = hold;
        if (current != null && current.paths.test(path)) {
          current.arrived.countDown();
          awaitOthers(current);
        }
        return answer(path, segments);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    private void awaitOthers(Hold current) {
      try {
        if (!current.arrived.await(HOLD_FAILSAFE.toMillis(), TimeUnit.MILLISECONDS)) {
          hold = null; // given up: the client did not send them together
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private MockResponse answer(String path, List<String> segments) {
      String alias = segments.get(0);
      MockResponse next = scripted.poll();
      if (next != null) {
        return next;
      }
      for (Map.Entry<String, String> redirect : redirects.entrySet()) {
        if (path.startsWith(redirect.getKey())) {
          return delayed(
              new MockResponse.Builder()
                  .code(301)
                  .addHeader(
                      "Location",
                      redirect.getValue() + path.substring(redirect.getKey().length())));
        }
      }
      String type = segments.size() > 1 ? segments.get(1) : "";
      List<String> rest = segments.size() > 2 ? segments.subList(2, segments.size()) : List.of();
      switch (type) {
        case "ip":
          return ip(alias, rest);
        case "domain":
          return domain(alias, rest.isEmpty() ? "" : rest.get(0));
        default:
          return delayed(rdap(501, errorBody(501, "501 Not Implemented", type + " not supported")));
      }
    }

    private MockResponse bootstrap(String file) {
      if (bootstrapFailureStatus != 0) {
        return new MockResponse.Builder().code(bootstrapFailureStatus).body("unavailable").build();
      }
      String body = bootstrapFiles.get(file);
      if (body == null) {
        return new MockResponse.Builder().code(404).body("no such file").build();
      }
      return new MockResponse.Builder()
          .code(200)
          .addHeader("Content-Type", "application/json")
          .body(body)
          .build();
    }

    private MockResponse ip(String alias, List<String> rest) {
      String text = rest.isEmpty() ? "" : rest.get(0);
      InetAddress address;
      try {
        if (text.isEmpty() || !(text.indexOf(':') >= 0 || text.matches("[0-9.]+"))) {
          throw new IllegalArgumentException();
        }
        address = InetAddress.getByName(text);
      } catch (IOException | IllegalArgumentException e) {
        return delayed(
            rdap(400, errorBody(400, "Bad Request", "'" + text + "' is not an IP address")));
      }
      BigInteger value = new BigInteger(1, address.getAddress());
      int length = address.getAddress().length;
      Network best = null;
      Network elsewhere = null;
      for (Network network : networks) {
        if (!network.holds(value, length)) {
          continue;
        }
        if (network.alias.equals(alias)) {
          if (best == null
              || network.end.subtract(network.start).compareTo(best.end.subtract(best.start)) < 0) {
            best = network;
          }
        } else if (elsewhere == null) {
          elsewhere = network;
        }
      }
      if (best != null) {
        return delayed(rdap(200, best.body));
      }
      if (elsewhere != null) {
        // What RIRs do for space another RIR administers.
        return delayed(
            new MockResponse.Builder()
                .code(301)
                .addHeader("Location", registryUrl(elsewhere.alias) + "ip/" + text));
      }
      return delayed(rdap(404, errorBody(404, "Not Found", "no network for " + text)));
    }

    private MockResponse domain(String alias, String name) {
      String body =
          domainsByRegistry
              .getOrDefault(alias, Collections.emptyMap())
              .get(name.toLowerCase(Locale.ROOT));
      return delayed(
          body != null
              ? rdap(200, body)
              : rdap(404, errorBody(404, "Not Found", "no domain " + name)));
    }

    private MockResponse.Builder rdap(int status, String body) {
      return new MockResponse.Builder()
          .code(status)
          .addHeader("Content-Type", RDAP_JSON)
          .body(body);
    }

    private MockResponse delayed(MockResponse.Builder response) {
      Duration d = delay;
      if (!d.isZero()) {
        response.headersDelay(d.toMillis(), TimeUnit.MILLISECONDS);
      }
      return response.build();
    }
  }
}
