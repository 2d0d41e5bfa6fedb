package com.socactions.servicenow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A ServiceNow encoded query ({@code sysparm_query}) built from typed parts, so that values are
 * data and never syntax. Immutable; each builder step returns a new query.
 *
 * <p>Structure, as ServiceNow reads it: groups joined by {@code ^NQ} (any group may match), each
 * group a list of clauses joined by {@code ^} (all must match), each clause a list of conditions
 * joined by {@code ^OR} (any may match). {@link #where} starts the first clause, {@link #or} adds a
 * condition to the current clause, {@link #and} starts a clause, {@link #newQuery} starts a group.
 *
 * <p><b>Values that cannot be expressed safely match nothing.</b> The encoded-query syntax has no
 * general escape: {@code ^} always separates terms, a comma always separates the items of an {@code
 * IN} list, and a value that begins with {@code javascript:} is run as a server-side script. A
 * value is therefore used only when it is non-empty, has no leading or trailing white space
 * (ServiceNow trims it, which would match another value), and contains none of {@code ^}, {@code
 * =}, {@code <}, {@code >}, {@code !}, control or line-separator characters, or {@code javascript:}
 * (any case), and does not run into the operator before it to spell a longer one ({@code IN} +
 * {@code STANCEOFx} would read as {@code INSTANCEOF}). Inside {@code IN} a value with a comma is
 * moved to an {@code =} condition of its own in the same {@code ^OR} clause, where a comma is plain
 * text. Any other value that fails these rules turns its condition into "false": an {@code IN} item
 * is left out of the list; an {@code =}, {@code !=}, {@code STARTSWITH}, {@code ENDSWITH} or {@code
 * LIKE} condition is dropped from its {@code ^OR} clause (so a {@code !=} on such a value narrows
 * the query instead of widening it); a clause left with no condition makes its group match nothing,
 * and a query whose every group matches nothing {@link #matchesNothing()} and should not be sent at
 * all. Field names are ours, not data: a malformed one is a programming error ({@link
 * IllegalArgumentException}).
 */
public final class EncodedQuery {
  /**
   * Field names, optionally dot-walked ({@code assigned_to.email}); lower case like ServiceNow's
   * own.
   */
  private static final Pattern FIELD = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

  private static final Pattern SCRIPT = Pattern.compile("(?i)javascript\\s*:");

  /** Characters that start or are part of an operator, or end a term. */
  private static final String OPERATOR_CHARACTERS = "^=<>!";

  /**
   * Operators that ServiceNow knows, longest first: an operator we write followed by a value must
   * not spell one of these. Only the prefix relation matters, so the list is the documented set.
   */
  private static final List<String> KNOWN_OPERATORS =
      List.of(
          "DOESNOTCONTAIN",
          "EMPTYSTRING",
          "STARTSWITH",
          "INSTANCEOF",
          "ISNOTEMPTY",
          "VALCHANGES",
          "CHANGESFROM",
          "ENDSWITH",
          "NOTLIKE",
          "NOT LIKE",
          "NOT IN",
          "ISEMPTY",
          "CONTAINS",
          "ANYTHING",
          "BETWEEN",
          "DYNAMIC",
          "MORETHAN",
          "LESSTHAN",
          "NSAMEAS",
          "SAMEAS",
          "CHANGESTO",
          "NOTON",
          "LIKE",
          "IN",
          "ON",
          "!=",
          "<=",
          ">=",
          "=",
          "<",
          ">");

  /** Written when the whole query matches nothing: no record has an empty sys_id. */
  static final String NOTHING = "sys_idISEMPTY";

  /** The operators this builder writes. */
  public enum Operator {
    EQUALS("="),
    NOT_EQUALS("!="),
    AT_LEAST(">="),
    GREATER_THAN(">"),
    IN("IN"),
    STARTS_WITH("STARTSWITH"),
    ENDS_WITH("ENDSWITH"),
    LIKE("LIKE"),
    IS_EMPTY("ISEMPTY"),
    IS_NOT_EMPTY("ISNOTEMPTY");

    private final String token;

    Operator(String token) {
      this.token = token;
    }

    public String token() {
      return token;
    }
  }

  /**
   * One condition: a field, an operator and its values (one, none for the emptiness tests, any for
   * IN).
   */
  public record Condition(String field, Operator operator, List<String> values) {
    public Condition {
      Objects.requireNonNull(field, "'field' cannot be null.");
      Objects.requireNonNull(operator, "'operator' cannot be null.");
      checkField(field);
      values = List.copyOf(values);
    }

    /**
     * The terms this condition writes into its {@code ^OR} clause; empty when it matches nothing.
     */
    List<String> terms() {
      switch (operator) {
        case IS_EMPTY, IS_NOT_EMPTY -> {
          return List.of(field + operator.token);
        }
        case IN -> {
          List<String> listed = new ArrayList<>();
          List<String> terms = new ArrayList<>();
          for (String value : values) {
            if (value != null && value.indexOf(',') >= 0) {
              if (isExpressible(Operator.EQUALS, value)) {
                terms.add(field + Operator.EQUALS.token + value);
              }
            } else if (isExpressible(Operator.IN, value)) {
              listed.add(value);
            }
          }
          if (!listed.isEmpty()) {
            terms.add(0, field + Operator.IN.token + String.join(",", listed));
          }
          return terms;
        }
        default -> {
          String value = values.get(0);
          return isExpressible(operator, value)
              ? List.of(field + operator.token + value)
              : List.of();
        }
      }
    }
  }

  private final List<List<List<Condition>>> groups;
  private final List<String> orderBy;

  private EncodedQuery(List<List<List<Condition>>> groups, List<String> orderBy) {
    this.groups = groups;
    this.orderBy = orderBy;
  }

  // ---- conditions ----

  public static Condition equalTo(String field, String value) {
    return new Condition(field, Operator.EQUALS, List.of(value));
  }

  /**
   * {@code field >= value}: for date-times in the stored {@code yyyy-MM-dd HH:mm:ss} form, which
   * sorts as text.
   */
  public static Condition atLeast(String field, String value) {
    return new Condition(field, Operator.AT_LEAST, List.of(value));
  }

  /**
   * {@code field > value}: for date-times in the stored {@code yyyy-MM-dd HH:mm:ss} form, and for
   * keys such as {@code sys_id}, which the instance compares as text in the order it sorts them.
   */
  public static Condition greaterThan(String field, String value) {
    return new Condition(field, Operator.GREATER_THAN, List.of(value));
  }

  public static Condition notEqualTo(String field, String value) {
    return new Condition(field, Operator.NOT_EQUALS, List.of(value));
  }

  /**
   * {@code fieldINa,b,c}; values with a comma become {@code field=a,b} beside it (see the class
   * comment).
   */
  public static Condition in(String field, Collection<String> values) {
    return new Condition(field, Operator.IN, new ArrayList<>(values));
  }

  public static Condition startsWith(String field, String value) {
    return new Condition(field, Operator.STARTS_WITH, List.of(value));
  }

  /** {@code fieldENDSWITHvalue}, without case as ServiceNow compares. */
  public static Condition endsWith(String field, String value) {
    return new Condition(field, Operator.ENDS_WITH, List.of(value));
  }

  /** Contains ({@code LIKE}), without case as ServiceNow compares. */
  public static Condition like(String field, String value) {
    return new Condition(field, Operator.LIKE, List.of(value));
  }

  public static Condition isEmpty(String field) {
    return new Condition(field, Operator.IS_EMPTY, List.of());
  }

  public static Condition isNotEmpty(String field) {
    return new Condition(field, Operator.IS_NOT_EMPTY, List.of());
  }

  // ---- building ----

  /** A query of one condition. */
  public static EncodedQuery where(Condition condition) {
    return new EncodedQuery(List.of(List.of(List.of(condition))), List.of());
  }

  /**
   * {@code field1INkeys^ORfield2INkeys^OR...}: a record whose any of {@code fields} holds any of
   * {@code keys}, in one query (the batch lookup of CIs by {@code ip_address}, {@code name}, {@code
   * fqdn}).
   */
  public static EncodedQuery anyFieldIn(List<String> fields, Collection<String> keys) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("'fields' cannot be empty.");
    }
    EncodedQuery query = where(in(fields.get(0), keys));
    for (String field : fields.subList(1, fields.size())) {
      query = query.or(in(field, keys));
    }
    return query;
  }

  /** Adds {@code ^OR condition} to the current clause. */
  public EncodedQuery or(Condition condition) {
    List<List<List<Condition>>> copy = deepCopy();
    List<List<Condition>> group = copy.get(copy.size() - 1);
    group
        .get(group.size() - 1)
        .add(Objects.requireNonNull(condition, "'condition' cannot be null."));
    return new EncodedQuery(copy, orderBy);
  }

  /** Starts a new clause with {@code ^condition}: records must match it as well. */
  public EncodedQuery and(Condition condition) {
    List<List<List<Condition>>> copy = deepCopy();
    copy.get(copy.size() - 1)
        .add(
            new ArrayList<>(
                List.of(Objects.requireNonNull(condition, "'condition' cannot be null."))));
    return new EncodedQuery(copy, orderBy);
  }

  /** Starts a new group with {@code ^NQcondition}: records matching either group are returned. */
  public EncodedQuery newQuery(Condition condition) {
    List<List<List<Condition>>> copy = deepCopy();
    copy.add(
        new ArrayList<>(
            List.of(
                new ArrayList<>(
                    List.of(Objects.requireNonNull(condition, "'condition' cannot be null."))))));
    return new EncodedQuery(copy, orderBy);
  }

  /** {@code ^ORDERBYfield}; paging over a changing table is steadier with a stable order. */
  public EncodedQuery orderBy(String field) {
    return withOrder("ORDERBY" + checkField(field));
  }

  public EncodedQuery orderByDescending(String field) {
    return withOrder("ORDERBYDESC" + checkField(field));
  }

  private EncodedQuery withOrder(String term) {
    List<String> order = new ArrayList<>(orderBy);
    order.add(term);
    return new EncodedQuery(groups, List.copyOf(order));
  }

  // ---- reading ----

  /** Whether every group lost a clause to an inexpressible value: sending it would be wasted. */
  public boolean matchesNothing() {
    return renderGroups().isEmpty();
  }

  /** The {@code sysparm_query} text; {@value #NOTHING} when the query {@link #matchesNothing()}. */
  public String encoded() {
    List<String> rendered = renderGroups();
    List<String> parts = new ArrayList<>();
    parts.add(rendered.isEmpty() ? NOTHING : String.join("^NQ", rendered));
    parts.addAll(orderBy);
    return String.join("^", parts);
  }

  @Override
  public String toString() {
    return encoded();
  }

  private List<String> renderGroups() {
    List<String> rendered = new ArrayList<>();
    for (List<List<Condition>> group : groups) {
      List<String> clauses = new ArrayList<>();
      for (List<Condition> clause : group) {
        List<String> terms = new ArrayList<>();
        clause.forEach(condition -> terms.addAll(condition.terms()));
        if (terms.isEmpty()) {
          clauses = null; // a clause that matches nothing makes its whole group match nothing
          break;
        }
        clauses.add(String.join("^OR", terms));
      }
      if (clauses != null) {
        rendered.add(String.join("^", clauses));
      }
    }
    return rendered;
  }

  private List<List<List<Condition>>> deepCopy() {
    List<List<List<Condition>>> copy = new ArrayList<>();
    for (List<List<Condition>> group : groups) {
      List<List<Condition>> groupCopy = new ArrayList<>();
      group.forEach(clause -> groupCopy.add(new ArrayList<>(clause)));
      copy.add(groupCopy);
    }
    return copy;
  }

  /**
   * Whether {@code value} can follow {@code operator} and mean exactly itself (the rules of the
   * class comment).
   */
  static boolean isExpressible(Operator operator, String value) {
    if (value == null
        || value.isEmpty()
        || !value.strip().equals(value)
        || SCRIPT.matcher(value).find()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int type = Character.getType(c);
      if (OPERATOR_CHARACTERS.indexOf(c) >= 0
          || Character.isISOControl(c)
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR
          || (operator == Operator.IN && c == ',')) {
        return false;
      }
    }
    String written = (operator.token + value).toUpperCase(Locale.ROOT);
    for (String known : KNOWN_OPERATORS) {
      if (known.length() > operator.token.length() && written.startsWith(known)) {
        return false;
      }
    }
    return true;
  }

  static String checkField(String field) {
    if (!FIELD.matcher(field).matches()) {
      throw new IllegalArgumentException(
          "'field' must be a ServiceNow column name such as ip_address, not '" + field + "'");
    }
    return field;
  }
}
