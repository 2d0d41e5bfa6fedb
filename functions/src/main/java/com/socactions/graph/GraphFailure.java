package com.socactions.graph;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Set;

/**
 * Why one Graph request failed, from its status and Graph's error code ({@code
 * {"error":{"code","message","innerError"}}}), as a per-item reason a playbook can branch on. The
 * code decides where Graph's codes are unambiguous; the status otherwise.
 */
public enum GraphFailure {
  /** The object does not exist (404, {@code Request_ResourceNotFound}). */
  NOT_FOUND,
  /**
   * The app's identity lacks the permission or role (401, 403, {@code
   * Authorization_RequestDenied}).
   */
  FORBIDDEN,
  /** Graph refused the request as malformed (400, {@code Request_BadRequest}). */
  INVALID,
  /** The object changed or exists already (409, 412). */
  CONFLICT,
  /** Still throttled after the retries this client makes (429). */
  THROTTLED,
  /** Graph failed or did not answer (5xx, no answer); may work later. */
  UNAVAILABLE,
  /** Anything else. */
  FAILED;

  private static final Set<String> NOT_FOUND_CODES =
      Set.of("request_resourcenotfound", "resourcenotfound", "itemnotfound", "notfound");
  private static final Set<String> FORBIDDEN_CODES =
      Set.of(
          "authorization_requestdenied", "accessdenied", "forbidden", "invalidauthenticationtoken");

  private final String wireName = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * The failure a status and error code stand for.
   *
   * @param status the HTTP status, 0 when there was no answer; must not be a 2xx
   * @param code Graph's {@code error.code}, or null
   */
  public static GraphFailure of(int status, String code) {
    String lower = code == null ? "" : code.toLowerCase(Locale.ROOT);
    if (NOT_FOUND_CODES.contains(lower) || status == 404) {
      return NOT_FOUND;
    }
    if (FORBIDDEN_CODES.contains(lower) || status == 401 || status == 403) {
      return FORBIDDEN;
    }
    if (status == 429) {
      return THROTTLED;
    }
    if (status == 0 || status >= 500) {
      return UNAVAILABLE;
    }
    if (status == 409 || status == 412) {
      return CONFLICT;
    }
    if (status == 400) {
      return INVALID;
    }
    return FAILED;
  }
}
