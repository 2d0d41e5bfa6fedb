package com.socactions.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Upstream JSON bodies read and written with {@link Json#UPSTREAM}, failing the way clients here
 * expect.
 */
public final class UpstreamJson {
  private UpstreamJson() {}

  /**
   * The body as a tree; an empty body is an empty object (a 204, or a 200 with nothing to say).
   *
   * @throws UpstreamException {@link UpstreamFailure#BAD_RESPONSE} with a body excerpt when it is
   *     not JSON
   */
  public static JsonNode parse(String upstream, String body) {
    try {
      return Json.UPSTREAM.readTree(body.isEmpty() ? "{}" : body);
    } catch (JsonProcessingException e) {
      throw UpstreamException.badResponse(
          upstream, upstream + " answered with JSON that does not parse", body, e);
    }
  }

  /**
   * An error answer's body as a tree, for the message it may carry; empty when the body is blank or
   * not JSON (an excerpt cut short, a gateway's HTML page: the status then says enough).
   */
  public static Optional<JsonNode> errorBody(String body) {
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.UPSTREAM.readTree(body));
    } catch (JsonProcessingException | RuntimeException notJson) {
      return Optional.empty();
    }
  }

  /** A request body; a tree or record that cannot be written is a programming error. */
  public static String write(Object value) {
    try {
      return Json.UPSTREAM.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write a request body of " + value.getClass().getSimpleName(), e);
    }
  }
}
