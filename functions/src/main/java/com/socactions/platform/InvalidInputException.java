package com.socactions.platform;

import java.util.List;

/**
 * What a caller sent cannot be acted on as a whole (per-item problems go into the item's result
 * instead). Carries the field paths at fault, e.g. {@code indicators[3]} or {@code duration}.
 */
public class InvalidInputException extends RuntimeException {
  private final List<FieldError> errors;

  public InvalidInputException(List<FieldError> errors) {
    super(summary(errors));
    this.errors = List.copyOf(errors);
  }

  public static InvalidInputException of(String field, String message) {
    return new InvalidInputException(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String summary(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("'errors' cannot be empty.");
    }
    FieldError first = errors.get(0);
    return first.field()
        + ": "
        + first.message()
        + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
  }
}
