package com.socactions.platform;

import java.util.List;

/**
 * What a caller sent is more than one call takes (too many items, entities, ...): the same as
 * {@link InvalidInputException}, but answered as too large rather than malformed, so the caller
 * knows to split it.
 */
public class InputTooLargeException extends InvalidInputException {
  public InputTooLargeException(String field, String message) {
    super(List.of(new FieldError(field, message)));
  }

  /** The field that is too large. */
  public String field() {
    return errors().get(0).field();
  }

  /** Why, without the field's name. */
  public String reason() {
    return errors().get(0).message();
  }
}
