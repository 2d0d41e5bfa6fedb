package com.socactions.sentinel;

import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;

/**
 * A write to an incident was refused because the incident changed since it was read: the etag sent
 * is stale. Sentinel answers 409 {@code Conflict} ("Newer version of resource ... exists") for a
 * stale {@code etag} in the body; ARM's own {@code If-Match} check answers 412. Both come out as
 * this exception, of kind {@link UpstreamFailure#CONFLICT}.
 *
 * <p>Retrying the same write cannot succeed: read the incident again, re-apply the change and write
 * with the new etag ({@link SentinelClient#updateIncident} does that).
 */
public class IncidentConflictException extends UpstreamException {
  public IncidentConflictException(String message, UpstreamException answer) {
    super(
        SentinelClient.UPSTREAM,
        UpstreamFailure.CONFLICT,
        message,
        answer.bodyExcerpt(),
        null,
        answer);
  }
}
