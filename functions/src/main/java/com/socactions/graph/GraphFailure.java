package com.socactions.graph;

import com.fasterxml.jackson.annotation.JsonValue;
import com.socactions.platform.UpstreamFailure;
import java.util.Locale;
import java.util.Set;

/**
 * Why one Graph request failed, from its status and Graph's error code ({@code
 * {"error":{"code","message","innerError"}}}), as a per-item reason a playbook can branch on. The
 * code decides where Graph's codes are unambiguous; the status otherwise.
 */
public enum GraphFailure {
  /** The object does not exist (404, 410, {@code Request_ResourceNotFound}). */
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
  /** Graph failed or did not answer (5xx, 408, no answer); may work later. */
  UNAVAILABLE,
  /** Anything else. */
  FAILED;

  private static final Set<String> NOT_FOUND_CODES =
      Set.of("request_resourcenotfound", "resourcenotfound", "itemnotfound", "notfound");
  private static final Set<String> FORBIDDEN_CODES =
      Set.of(
          "authorization_requestdenied", "accessdenied", "forbidden", "invalidauthenticationtoken");

  /** Graph's status for a request it refuses as malformed. */
  private static final int BAD_REQUEST = 400;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * The failure a status and error code stand for: Graph's code where it is unambiguous, else the
   * status's {@link UpstreamFailure} kind, with Graph's 400 Bad Request told apart as {@link
   * #INVALID}.
   *
   * @param status the HTTP status Graph answered; must not be a 2xx
   * @param code Graph's {@code error.code}, or null
   */
  public static GraphFailure of(int status, String code) {
    String lower = code == null ? "" : code.toLowerCase(Locale.ROOT);
    if (NOT_FOUND_CODES.contains(lower)) {
      return NOT_FOUND;
    }
    if (FORBIDDEN_CODES.contains(lower)) {
      return FORBIDDEN;
    }
    if (status == BAD_REQUEST) {
      return INVALID;
    }
    return of(UpstreamFailure.ofHttpStatus(status));
  }

  /** The per-item reason for a kind of failure. */
  public static GraphFailure of(UpstreamFailure failure) {
    return switch (failure) {
      case NOT_FOUND -> NOT_FOUND;
      case UNAUTHORIZED, FORBIDDEN -> FORBIDDEN;
      case THROTTLED -> THROTTLED;
      case UNAVAILABLE, BAD_RESPONSE -> UNAVAILABLE;
      case CONFLICT -> CONFLICT;
      case REJECTED -> FAILED;
    };
  }
}
