package com.socactions.platform;

import com.azure.core.exception.HttpResponseException;

/**
 * What kind of failure an upstream call ended in, as the domain sees it: the one thing services and
 * policies decide on (retry, trip a circuit, answer an item {@code failed}, pass a change). The
 * HTTP answer the connector gives for each kind is decided in one place above the domain ({@code
 * api}); nothing below it invents a status number.
 *
 * <p>A client derives the kind from the upstream's real answer ({@link #ofHttpStatus}, {@link
 * #of(HttpResponseException)}) or from what happened without one (no answer: {@link #UNAVAILABLE};
 * an answer it cannot use: {@link #BAD_RESPONSE}).
 */
public enum UpstreamFailure {
  /**
   * The upstream throttles the connector (429), or a limit the connector keeps for it (a published
   * rate limit, a budget shared by the instances) is used up. Comes with a wait when one is known.
   */
  THROTTLED,
  /**
   * The upstream did not answer (timeout, refused connection, DNS), answered 408 or 5xx, its
   * circuit is open, or shared state it needs is busy elsewhere (a lease, a row that kept
   * changing): trying again later can help.
   */
  UNAVAILABLE,
  /**
   * The upstream answered, but with something the connector cannot use: JSON that does not parse, a
   * record missing, a paging link to another origin. Often a proxy's page or a cut answer, so it is
   * tried again like an outage.
   */
  BAD_RESPONSE,
  /** The upstream refused the connector's credentials (401): an administrator must fix them. */
  UNAUTHORIZED,
  /**
   * The upstream knows the connector but denies it this call (403): a permission or role to grant.
   */
  FORBIDDEN,
  /** What the call named does not exist upstream (404, 410). */
  NOT_FOUND,
  /**
   * The upstream's object exists already or changed since it was read (409, 412): read again and
   * decide again; the same call cannot succeed.
   */
  CONFLICT,
  /**
   * The upstream refused the request for another reason a retry cannot mend (400, 405, 422, ..., or
   * a status no client here expects).
   */
  REJECTED;

  /** Worth trying again, after a wait: throttling, outages and unusable answers. */
  public boolean isRetryable() {
    return this == THROTTLED || this == UNAVAILABLE || this == BAD_RESPONSE;
  }

  /**
   * The upstream's own fault (outage or garbled answer), which a circuit breaker counts; an answer
   * that refuses the request (throttling included) is not.
   */
  public boolean isUpstreamFault() {
    return this == UNAVAILABLE || this == BAD_RESPONSE;
  }

  /** Credentials refused or a permission missing: a configuration matter, not the upstream's. */
  public boolean isRefusedIdentity() {
    return this == UNAUTHORIZED || this == FORBIDDEN;
  }

  /**
   * The kind an HTTP status of an upstream's answer stands for. A 2xx that a client cannot use is
   * {@link #BAD_RESPONSE}.
   *
   * @param status the status the upstream answered, 100-599
   */
  public static UpstreamFailure ofHttpStatus(int status) {
    if (status >= 200 && status < 300) {
      return BAD_RESPONSE;
    }
    return switch (status) {
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404, 410 -> NOT_FOUND;
      case 408 -> UNAVAILABLE;
      case 409, 412 -> CONFLICT;
      case 429 -> THROTTLED;
      default -> status >= 500 ? UNAVAILABLE : REJECTED;
    };
  }

  /**
   * The kind of an Azure SDK call's failure (Table Storage, queues): from the service's answer, or
   * {@link #UNAVAILABLE} when there was none.
   */
  public static UpstreamFailure of(HttpResponseException e) {
    return e.getResponse() == null ? UNAVAILABLE : ofHttpStatus(e.getResponse().getStatusCode());
  }
}
