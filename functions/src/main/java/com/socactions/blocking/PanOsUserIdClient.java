package com.socactions.blocking;

import com.socactions.blocking.PanOsXml.Registration;
import com.socactions.blocking.PanOsXml.Unregistration;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamHttp;
import com.socactions.platform.UpstreamPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
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

  /** PAN-OS's error code for a refused key ({@code <response status="error" code="403">}). */
  static final String KEY_REFUSED_CODE = "403";

  private final HttpUrl endpoint;
  private final String apiKey;
  private final UpstreamHttp http;
  private final OkHttpClient client;
  private final Clock clock;
  private final UpstreamPolicy policy;

  /**
   * @param baseUrl the firewall or Panorama, e.g. {@code https://fw.example}; {@code /api/} is
   *     added
   */
  PanOsUserIdClient(
      HttpUrl baseUrl, String apiKey, OkHttpClient client, Clock clock, UpstreamPolicy policy) {
    this.endpoint = baseUrl.newBuilder().encodedPath("/api/").build();
    this.apiKey = apiKey;
    this.client = client;
    this.clock = clock;
    this.http = new UpstreamHttp(UPSTREAM, client, clock);
    this.policy = policy;
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
    UpstreamHttp quick =
        new UpstreamHttp(UPSTREAM, client.newBuilder().callTimeout(timeout).build(), clock);
    Element response = exchange(quick, request("op", PanOsXml.showSystemInfo()));
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
    return policy.call(() -> exchange(http, request(type, cmd)));
  }

  private Element exchange(UpstreamHttp via, Request request) {
    UpstreamHttp.Answer answer;
    try {
      answer = via.send(request);
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
        .header("X-PAN-KEY", apiKey)
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
