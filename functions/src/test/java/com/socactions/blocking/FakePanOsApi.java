package com.socactions.blocking;

import com.socactions.testing.NoDelaySockets;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * A stateful fake of the PAN-OS XML API on one loopback {@link MockWebServer}, enough for User-ID
 * blocking: {@code POST /api/} with a form body ({@code type}, {@code cmd}), the key in the {@code
 * X-PAN-KEY} header.
 *
 * <ul>
 *   <li>{@code type=user-id}: a {@code uid-message} that registers or unregisters IP tags, kept in
 *       memory with their timeouts; a message holding both sections is applied in document order
 *       (or register first: {@link #registerBeforeUnregister}), and an error answer lists each
 *       section's entries under that section. Success answers are the recorded ones ({@code
 *       shared/fixtures/panos/response_register_success.xml}); registering a tag an IP already has
 *       answers {@code status="error"} with a per-entry {@code message}, in the shape of the
 *       recorded PAN-OS 6.0 answer ({@code response_register_error_tag_already_exists.xml}).
 *       Unregistering a tag an IP does not have answers the same shape with {@code tag ... does not
 *       exist, ignore}: modelled on that answer, not recorded.
 *   <li>{@code type=op}: {@code show object registered-ip} ({@code all}, or {@code
 *       tag/entry[@name]}) in the recorded shape, and {@code show system info}.
 *   <li>A wrong or missing {@code X-PAN-KEY}: HTTP 403 with the body PAN-OS is quoted as sending
 *       ({@code <response status = 'error' code = '403'>...Invalid Credential...}; no recorded
 *       source exists). A {@code key=} in the URL is not accepted as a key, and is counted.
 *   <li>Scripting: {@link #failNext}, {@link #respondNext}, {@link #failEntry}, {@link
 *       #registerBeforeUnregister}. Counting: {@link #userIdMessages()}, {@link #opCommands()},
 *       {@link #requestUrls()}, {@link #keyHeaders()}.
 * </ul>
 */
final class FakePanOsApi implements AutoCloseable {
  static final String API_KEY = "LUFRPT1-fake-key-never-in-a-url==";
  private static final String XML = "application/xml; charset=utf-8";

  private final MockWebServer server = new MockWebServer();

  /** ip -> tag -> timeout attribute ("" when none). */
  private final Map<String, Map<String, String>> registered = new ConcurrentHashMap<>();

  private final Queue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
  private final Map<String, String> entryFailures = new ConcurrentHashMap<>();
  private final List<String> userIdMessages = new CopyOnWriteArrayList<>();
  private final List<String> opCommands = new CopyOnWriteArrayList<>();
  private final List<String> urls = new CopyOnWriteArrayList<>();
  private final List<String> keyHeaders = new CopyOnWriteArrayList<>();
  private volatile boolean registerFirst;
  private volatile int outageStatus;
  private final java.util.concurrent.atomic.AtomicInteger registrationsApplied =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile long answerDelayMillis;

  private FakePanOsApi() {}

  static FakePanOsApi start() throws IOException {
    FakePanOsApi fake = new FakePanOsApi();
    fake.server.setDispatcher(fake.new PanOsDispatcher());
    fake.server.setServerSocketFactory(
        NoDelaySockets.FACTORY); // no ~40 ms delayed-ACK wait per answer
    fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
    return fake;
  }

  /** {@code http://127.0.0.1:PORT}: the value for {@code PANOS_URL}. */
  String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  // ---- state ----

  /** Registers as another system would (the User-ID agent, an earlier run). */
  FakePanOsApi register(String ip, String tag, String timeout) {
    registered.computeIfAbsent(ip, k -> new ConcurrentHashMap<>()).put(tag, timeout);
    return this;
  }

  /** The tags of {@code ip} and their timeout attributes ("" when none). */
  Map<String, String> tagsOf(String ip) {
    return Map.copyOf(registered.getOrDefault(ip, Map.of()));
  }

  // ---- scripting ----

  /** The next {@code n} requests answer {@code status} with these headers and a plain body. */
  FakePanOsApi failNext(int n, int status, Map<String, String> headers) {
    for (int i = 0; i < n; i++) {
      MockResponse.Builder response =
          new MockResponse.Builder().code(status).body("<html>unavailable</html>");
      headers.forEach(response::addHeader);
      scripted.add(response.build());
    }
    return this;
  }

  /**
   * Until {@link #recover()}, every request answers {@code status} (a firewall that is down, or its
   * management plane overloaded), as many times as it is asked.
   */
  FakePanOsApi outage(int status) {
    outageStatus = status;
    return this;
  }

  /** Ends an {@link #outage}. */
  FakePanOsApi recover() {
    outageStatus = 0;
    return this;
  }

  /** Every answer takes this long: a busy management plane, so concurrent callers overlap. */
  FakePanOsApi answerDelay(java.time.Duration delay) {
    answerDelayMillis = delay.toMillis();
    return this;
  }

  /** The next request gets exactly this answer. */
  FakePanOsApi respondNext(MockResponse response) {
    scripted.add(response);
    return this;
  }

  /**
   * From now on, a {@code uid-message} with both sections has its {@code register} section applied
   * before its {@code unregister} section, whatever their order in the document. PAN-OS documents
   * no order; by default the fake applies them in document order.
   */
  FakePanOsApi registerBeforeUnregister() {
    registerFirst = true;
    return this;
  }

  /** Registering {@code ip} fails with this per-entry message (a firewall-side limit, say). */
  FakePanOsApi failEntry(String ip, String message) {
    entryFailures.put(ip, message);
    return this;
  }

  // ---- counting ----

  /** How many tag registrations the firewall applied (entries, not messages). */
  int registrationsApplied() {
    return registrationsApplied.get();
  }

  /** The {@code cmd} of each {@code type=user-id} request, in order. */
  List<String> userIdMessages() {
    return List.copyOf(userIdMessages);
  }

  /** The {@code cmd} of each {@code type=op} request, in order. */
  List<String> opCommands() {
    return List.copyOf(opCommands);
  }

  /** Every request's URL (path and query), in order. */
  List<String> requestUrls() {
    return List.copyOf(urls);
  }

  /** Every request's {@code X-PAN-KEY} header ("" when absent), in order. */
  List<String> keyHeaders() {
    return List.copyOf(keyHeaders);
  }

  @Override
  public void close() {
    server.close();
  }

  private final class PanOsDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      HttpUrl url = request.getUrl();
      urls.add(url.encodedPath() + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery()));
      String key = request.getHeaders().get("X-PAN-KEY");
      keyHeaders.add(key == null ? "" : key);
      if (answerDelayMillis > 0) {
        try {
          Thread.sleep(answerDelayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (outageStatus != 0) {
        Map<String, String> form = form(request.getBody() == null ? "" : request.getBody().utf8());
        if ("user-id".equals(form.get("type"))) {
          userIdMessages.add(form.getOrDefault("cmd", ""));
        }
        return new MockResponse.Builder()
            .code(outageStatus)
            .body("<html>unavailable</html>")
            .build();
      }
      MockResponse next = scripted.poll();
      if (next != null) {
        return next;
      }
      if (!API_KEY.equals(key)) {
        return xml(
            403,
            "<response status = 'error' code = '403'><result><msg>Invalid"
                + " Credential</msg></result></response>");
      }
      if (!request.getMethod().equals("POST") || !url.encodedPath().equals("/api/")) {
        return xml(
            400,
            "<response status=\"error\" code=\"400\"><result><msg>Bad"
                + " request</msg></result></response>");
      }
      Map<String, String> form = form(request.getBody() == null ? "" : request.getBody().utf8());
      String cmd = form.getOrDefault("cmd", "");
      Element root;
      try {
        root = parse(cmd);
      } catch (Exception e) {
        return xml(
            200,
            "<response status=\"error\" code=\"400\"><msg><line>Malformed"
                + " Request</line></msg></response>");
      }
      switch (form.getOrDefault("type", "")) {
        case "user-id":
          userIdMessages.add(cmd);
          return userId(root);
        case "op":
          opCommands.add(cmd);
          return op(root);
        default:
          return xml(
              200,
              "<response status=\"error\" code=\"400\"><msg><line>Bad"
                  + " type</line></msg></response>");
      }
    }

    private MockResponse userId(Element message) {
      Element payload = child(message, "payload");
      List<Element> sections = payload == null ? List.of() : new ArrayList<>(children(payload));
      if (registerFirst) {
        sections.sort(
            (a, b) ->
                Boolean.compare(
                    !a.getTagName().equals("register"), !b.getTagName().equals("register")));
      }
      // Sections in the order applied; per section, the entries PAN-OS names with a message.
      Map<String, Map<String, String>> errors = new LinkedHashMap<>();
      for (Element section : sections) {
        Map<String, String> sectionErrors = new LinkedHashMap<>();
        boolean registering = section.getTagName().equals("register");
        if (!registering && !section.getTagName().equals("unregister")) {
          continue;
        }
        for (Element entry : children(section, "entry")) {
          String ip = entry.getAttribute("ip");
          for (Element member : members(entry)) {
            String tag = member.getTextContent().strip();
            if (registering) {
              if (entryFailures.containsKey(ip)) {
                sectionErrors.put(ip, entryFailures.get(ip));
              } else if (registered.getOrDefault(ip, Map.of()).containsKey(tag)) {
                // As the recorded answer: ignored, so the tag keeps its old timeout.
                sectionErrors.put(ip, "tag " + tag + " already exists, ignore");
              } else {
                register(ip, tag, member.getAttribute("timeout"));
                registrationsApplied.incrementAndGet();
              }
            } else {
              Map<String, String> tags = registered.get(ip);
              if (tags == null || tags.remove(tag) == null) {
                sectionErrors.put(ip, "tag " + tag + " does not exist, ignore");
              } else if (tags.isEmpty()) {
                registered.remove(ip);
              }
            }
          }
        }
        errors.put(section.getTagName(), sectionErrors);
      }
      if (errors.values().stream().allMatch(Map::isEmpty)) {
        return xml(
            200,
            SharedFixtures.read(
                errors.containsKey("register")
                    ? "panos/response_register_success.xml"
                    : "panos/response_unregister_success.xml"));
      }
      StringBuilder body =
          new StringBuilder(
              "<response"
                  + " status=\"error\"><msg><line><uid-response><version>2.0</version><payload>");
      errors.forEach(
          (section, sectionErrors) -> {
            body.append('<').append(section).append('>');
            sectionErrors.forEach(
                (ip, text) ->
                    body.append("<entry ip=\"")
                        .append(escape(ip))
                        .append("\" message=\"")
                        .append(escape(text))
                        .append("\"/>"));
            body.append("</").append(section).append('>');
          });
      body.append("</payload></uid-response></line></msg></response>");
      return xml(200, body.toString());
    }

    private MockResponse op(Element show) {
      Element object = child(show, "object");
      Element registeredIp = object == null ? null : child(object, "registered-ip");
      if (registeredIp != null) {
        Element tagFilter = child(registeredIp, "tag");
        String wanted =
            tagFilter == null || child(tagFilter, "entry") == null
                ? null
                : child(tagFilter, "entry").getAttribute("name");
        StringBuilder body = new StringBuilder("<response status=\"success\">\n  <result>\n");
        int count = 0;
        for (Map.Entry<String, Map<String, String>> entry : registered.entrySet()) {
          if (wanted != null && !entry.getValue().containsKey(wanted)) {
            continue;
          }
          count++;
          body.append("    <entry ip=\"")
              .append(escape(entry.getKey()))
              .append("\" from_agent=\"0\" persistent=\"1\">\n")
              .append("      <tag>\n");
          entry
              .getValue()
              .keySet()
              .forEach(
                  tag -> body.append("        <member>").append(escape(tag)).append("</member>\n"));
          body.append("      </tag>\n    </entry>\n");
        }
        body.append("    <count>").append(count).append("</count>\n  </result>\n</response>\n");
        return xml(200, body.toString());
      }
      Element system = child(show, "system");
      if (system != null && child(system, "info") != null) {
        return xml(
            200,
            "<response status=\"success\"><result><system><hostname>fake-fw</hostname>"
                + "<model>PA-VM</model><sw-version>10.2.4</sw-version></system></result></response>");
      }
      return xml(
          200,
          "<response status=\"error\" code=\"17\"><msg><line>show is"
              + " unexpected</line></msg></response>");
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static Element parse(String text) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    var builder = factory.newDocumentBuilder();
    builder.setErrorHandler(null);
    return builder.parse(new InputSource(new StringReader(text))).getDocumentElement();
  }

  private static List<Element> members(Element entry) {
    Element tag = child(entry, "tag");
    return tag == null ? List.of() : children(tag, "member");
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent) {
    return children(parent, null);
  }

  /** The child elements named {@code name} (any name when null), in document order. */
  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element element && (name == null || element.getTagName().equals(name))) {
        found.add(element);
      }
    }
    return found;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static MockResponse xml(int status, String body) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", XML)
        .body(body)
        .build();
  }
}
