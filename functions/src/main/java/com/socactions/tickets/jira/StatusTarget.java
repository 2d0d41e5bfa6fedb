package com.socactions.tickets.jira;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where {@link JiraClient#moveTo} should take an issue, as a project's workflow can say it: by
 * status name (preferred, in the order given, compared without case; a transition's own name counts
 * too, since many workflows name a transition after its target), else by status category. Either
 * part may be absent, not both.
 *
 * @param names status or transition names, most preferred first (e.g. {@code Resolved}, {@code
 *     Done})
 * @param category the category to fall back on, or null for names only
 */
public record StatusTarget(List<String> names, StatusCategory category) {
  public StatusTarget {
    names = List.copyOf(names);
    if (names.isEmpty() && category == null) {
      throw new IllegalArgumentException("a status target needs a name or a category");
    }
  }

  /** Any status of the category. */
  public static StatusTarget category(StatusCategory category) {
    return new StatusTarget(List.of(), category);
  }

  /** One of the named statuses, else any status of the category ({@code category} may be null). */
  public static StatusTarget named(List<String> names, StatusCategory category) {
    return new StatusTarget(names, category);
  }

  /** The available transition that best reaches this target, from those Jira offers. */
  public Optional<JiraTransition> pick(List<JiraTransition> offered) {
    List<JiraTransition> available = offered.stream().filter(JiraTransition::available).toList();
    for (String name : names) {
      String wanted = name.strip().toLowerCase(Locale.ROOT);
      for (JiraTransition transition : available) {
        if (transition.toStatusName().toLowerCase(Locale.ROOT).equals(wanted)) {
          return Optional.of(transition);
        }
      }
      for (JiraTransition transition : available) {
        if (transition.name().toLowerCase(Locale.ROOT).equals(wanted)) {
          return Optional.of(transition);
        }
      }
    }
    if (category != null) {
      return available.stream().filter(t -> t.toCategory().orElse(null) == category).findFirst();
    }
    return Optional.empty();
  }

  /** Whether a status of this name and category already is the target. */
  public boolean isReachedBy(String statusName, StatusCategory statusCategory) {
    if (!names.isEmpty()) {
      return names.stream().anyMatch(name -> name.strip().equalsIgnoreCase(statusName));
    }
    return category == statusCategory;
  }
}
