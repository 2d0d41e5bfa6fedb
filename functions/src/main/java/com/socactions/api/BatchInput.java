package com.socactions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.platform.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the list inputs of batch operations. The list as a whole must be well-formed (else 400, or
 * 413 when longer than {@link #MAX_ITEMS}); each item is kept as sent, so one bad item becomes that
 * item's {@code invalid} result instead of failing the call.
 */
final class BatchInput {
  /** Items a call may carry; larger batches are split by the playbook (a For each over chunks). */
  static final int MAX_ITEMS = 1_000;

  /**
   * Items a call of an operation that may answer 202 may carry: more than {@link #MAX_ITEMS} always
   * run as a job.
   */
  static final int MAX_ASYNC_ITEMS = 5_000;

  private BatchInput() {}

  /**
   * The items of a required list field. Besides a JSON array, a single string holding items
   * separated by commas, semicolons or whitespace is accepted, since that is what many playbooks
   * have at hand (e.g. a joined entity list).
   */
  static List<String> items(JsonNode body, String field) {
    return items(body, field, MAX_ITEMS);
  }

  /** {@link #items(JsonNode, String)} with another limit. */
  static List<String> items(JsonNode body, String field, int maxItems) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw ProblemException.invalidField(field, "required: a list of 1 to " + maxItems + " items");
    }
    List<String> items = new ArrayList<>();
    if (node.isTextual()) {
      Arrays.stream(node.asText().split("[,;\\s]+"))
          .filter(item -> !item.isBlank())
          .forEach(items::add);
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        // Non-text items stay in the batch and answer "invalid" in their own result.
        items.add(item.isTextual() ? item.asText() : item.toString());
      }
    } else {
      throw ProblemException.invalidField(field, "must be a list of strings");
    }
    if (items.isEmpty()) {
      throw ProblemException.invalidField(field, "must hold at least one item");
    }
    if (items.size() > maxItems) {
      throw ProblemException.tooLarge(
          field,
          "holds "
              + items.size()
              + " items; at most "
              + maxItems
              + " a call: split the list (e.g. chunk() in a For each)");
    }
    return items;
  }

  /** An optional list of enum names (case-insensitive); absent or empty means all. */
  static <E extends Enum<E>> Set<E> options(JsonNode body, String field, Class<E> type) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return EnumSet.allOf(type);
    }
    List<String> names = new ArrayList<>();
    if (node.isTextual()) {
      names.addAll(Arrays.asList(node.asText().split("[,;\\s]+")));
    } else if (node.isArray()) {
      node.forEach(item -> names.add(item.isTextual() ? item.asText() : item.toString()));
    } else {
      throw ProblemException.invalidField(field, "must be a list of " + allowed(type));
    }
    return parseOptions(names, field, type);
  }

  /** Comma-separated enum names from a query parameter. */
  static <E extends Enum<E>> Set<E> options(String commaSeparated, String field, Class<E> type) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return EnumSet.allOf(type);
    }
    return parseOptions(Arrays.asList(commaSeparated.split("[,;\\s]+")), field, type);
  }

  private static <E extends Enum<E>> Set<E> parseOptions(
      List<String> names, String field, Class<E> type) {
    Set<E> chosen = EnumSet.noneOf(type);
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim();
      if (name.isEmpty()) {
        continue;
      }
      try {
        chosen.add(Enum.valueOf(type, name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException unknown) {
        errors.add(
            new FieldError(field + "[" + i + "]", "'" + name + "' is not one of " + allowed(type)));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(
          errors.get(0).field() + ": " + errors.get(0).message(), errors);
    }
    return chosen.isEmpty() ? EnumSet.allOf(type) : chosen;
  }

  private static <E extends Enum<E>> String allowed(Class<E> type) {
    return String.join(
        ", ",
        Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(Locale.ROOT))
            .toList());
  }
}
