package com.socactions.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a job is. */
public enum JobState {
  /** Stored and on the queue; no chunk has run yet (or only the request's own, inline). */
  QUEUED,
  /** A worker has run at least one chunk of it. */
  RUNNING,
  /** Finished: its answer is stored and {@code GET /v1/jobs/{id}} gives it. */
  DONE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static JobState parse(Object value) {
    return value == null ? QUEUED : valueOf(value.toString().toUpperCase(Locale.ROOT));
  }
}
