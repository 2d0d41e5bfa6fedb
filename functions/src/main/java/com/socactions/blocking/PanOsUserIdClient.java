package com.socactions.blocking;

import com.socactions.blocking.PanOsXml.Registration;
import com.socactions.blocking.PanOsXml.Unregistration;
import com.socactions.platform.UpstreamClient;
import com.socactions.platform.UpstreamClients;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamHttp;
import com.socactions.platform.UpstreamPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.w3c.dom.Element;

/**
 * The PAN-OS XML API as the block capability uses it: User-ID {@code uid-message}s that register
 * and unregister IP tags (which a dynamic address group matches), and two operational commands.
 *
 * <p>Every request is a {@code POST /api/} with a form body ({@code type=...&cmd=...}), so neither
 * the command nor the key is in a URL; the API key travels as the {@code X-PAN-KEY} header only,
 * because URLs end up in proxy and web-server logs. Calls go through the one {@link UpstreamPolicy}
 * of PAN-OS (retries of no answer, 429 and 5xx; circuit breaker), except {@link #systemInfo}, which
 * is tried once with a short timeout for health.
 *
 * <p>Fails with {@link UpstreamException}: {@link UpstreamFailure#FORBIDDEN} when PAN-OS refused
 * the key (HTTP 403, or {@code <response status="error" code="403">} / {@code status="unauth"});
 * {@link UpstreamFailure#REJECTED} with PAN-OS's own message for any other {@code status="error"}
 * that names no entry, and for an answer that is not XML or declares a DTD (neither is retried).
 * Per-entry errors of a {@code uid-message} are answers, not failures.
 */
final class PanOsUserIdClient {
  static final String UPSTREAM = "PAN-OS";

  /** The header the API key travels in (never the URL: URLs end up in logs). */
  static final String KEY_HEADER = "X-PAN-KEY";

  /** PAN-OS's error code for a refused key ({@code <response status="error" code="403">}). */
  static final String KEY_REFUSED_CODE = "403";

  private final HttpUrl endpoint;
  private final UpstreamClient http;

  /**
   * The XML API of the firewall or Panorama at {@code baseUrl} (e.g. {@code https://fw.example};
   * {@code /api/} is added), its key in {@code X-PAN-KEY}, on the kit's shared client.
   */
  static PanOsUserIdClient create(
      UpstreamClients kit, HttpUrl baseUrl, String apiKey, UpstreamPolicy.Options options) {
    return new PanOsUserIdClient(
        kit.client(UPSTREAM).baseUrl(baseUrl).apiKey(KEY_HEADER, apiKey).policy(options).build());
  }

  PanOsUserIdClient(UpstreamClient http) {
    this.http = http;
    this.endpoint = http.url().encodedPath("/api/").build();
  }

  UpstreamPolicy policy() {
    return http.policy();
  }

  /**
   * What one {@code uid-message} did: the entries PAN-OS named with a message, by their {@code ip},
   * for its {@code register} and its {@code unregister} section apart (one message may hold both).
   */
  record UidResult(Map<String, String> registerErrors, Map<String, String> unregisterErrors) {}

  /** Registers every entry in one {@code uid-message}. */
  UidResult register(List<Registration> entries) {
    return uidMessage(PanOsXml.registerMessage(entries));
  }

  /** Unregisters every entry in one {@code uid-message}. */
  UidResult unregister(List<Unregistration> entries) {
    return uidMessage(PanOsXml.unregisterMessage(entries));
  }

  /**
   * Unregisters, then registers, in one {@code uid-message} (see {@link PanOsXml#updateMessage}).
   */
  UidResult update(List<Unregistration> unregister, List<Registration> register) {
    return uidMessage(PanOsXml.updateMessage(unregister, register));
  }

  /**
   * {@code show system info}, tried once with {@code timeout}: hostname, model and software
   * version, for health.
   */
  SystemInfo systemInfo(Duration timeout) {
    Element response = exchange(request("op", PanOsXml.showSystemInfo()), timeout);
    return new SystemInfo(
        field(response, "hostname"), field(response, "model"), field(response, "sw-version"));
  }

  record SystemInfo(String hostname, String model, String softwareVersion) {}

  private UidResult uidMessage(String message) {
    Element response = call("user-id", message);
    Map<String, String> registerErrors = new LinkedHashMap<>();
    Map<String, String> unregisterErrors = new LinkedHashMap<>();
    for (Element entry : entryErrors(response)) {
      boolean unregistering =
          entry.getParentNode() instanceof Element section
              && section.getTagName().equals("unregister");
      (unregistering ? unregisterErrors : registerErrors)
          .put(entry.getAttribute("ip"), entry.getAttribute("message"));
    }
    return new UidResult(registerErrors, unregisterErrors);
  }

  private Element call(String type, String cmd) {
    return http.call(() -> exchange(request(type, cmd), null));
  }

  /** One exchange, within {@code timeout} when one is given. */
  private Element exchange(Request request, Duration timeout) {
    UpstreamHttp.Answer answer;
    try {
      answer = timeout == null ? http.send(request) : http.send(request, timeout);
    } catch (UpstreamException e) {
      if (e.failure() == UpstreamFailure.FORBIDDEN) {
        throw e.explained(keyRefused(""));
      }
      throw e;
    }
    return checked(answer);
  }

  private Request request(String type, String cmd) {
    return new Request.Builder()
        .url(endpoint)
        .post(new FormBody.Builder().add("type", type).add("cmd", cmd).build())
        .build();
  }

  /** The {@code <response>} of a successful call, or why it failed. */
  private Element checked(UpstreamHttp.Answer answer) {
    Element response;
    try {
      response = PanOsXml.parse(answer.body());
    } catch (IllegalArgumentException e) {
      // Not retried: a firewall that answers a DTD or an HTML page will answer it again.
      throw new UpstreamException(
          UPSTREAM,
          UpstreamFailure.REJECTED,
          UPSTREAM + " answered something that is not safe XML: " + e.getMessage(),
          answer.body(),
          null,
          e);
    }
    String status = response.getAttribute("status");
    if (status.equals("success")) {
      return response;
    }
    String said =
        PanOsXml.descendants(response, "msg").stream().findFirst().map(PanOsXml::text).orElse("");
    if (status.equals("unauth") || response.getAttribute("code").equals(KEY_REFUSED_CODE)) {
      throw new UpstreamException(
          UPSTREAM, UpstreamFailure.FORBIDDEN, keyRefused(said), answer.body(), null, null);
    }
    if (status.equals("error") && !entryErrors(response).isEmpty()) {
      return response; // per-entry errors: the caller reads them entry by entry
    }
    throw new UpstreamException(
        UPSTREAM,
        UpstreamFailure.REJECTED,
        UPSTREAM
            + " answered status=\""
            + status
            + "\""
            + (response.getAttribute("code").isEmpty()
                ? ""
                : " code=" + response.getAttribute("code"))
            + (said.isEmpty() ? "" : ": " + said),
        answer.body(),
        null,
        null);
  }

  /** The sentence for a refused key; never the key itself. */
  static String keyRefused(String said) {
    return UPSTREAM
        + " refused the API key (PANOS_API_KEY)"
        + (said.isEmpty() ? "" : ": " + said)
        + "; check the key and that its admin role allows the XML API's User-ID and operational"
        + " requests";
  }

  private static List<Element> entryErrors(Element response) {
    return PanOsXml.descendants(response, "entry").stream()
        .filter(entry -> entry.hasAttribute("ip") && entry.hasAttribute("message"))
        .toList();
  }

  private static String field(Element response, String name) {
    return PanOsXml.descendants(response, name).stream()
        .findFirst()
        .map(PanOsXml::text)
        .orElse(null);
  }
}
