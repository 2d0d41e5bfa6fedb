package com.socactions.cmdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Reading typed cells out of {@link CsvTable} rows, with problems worded for the SOC engineer. */
final class CsvColumns {
  private static final Set<String> TRUE = Set.of("true", "yes", "y", "1");
  private static final Set<String> FALSE = Set.of("false", "no", "n", "0");

  private CsvColumns() {}

  /**
   * Reads every row with {@code reader}; a row with too few or too many fields, or one the reader
   * refuses with a {@link RowProblem}, is skipped and described in {@code problems}.
   */
  static <T> List<T> readRows(
      CsvTable table, Function<CsvTable.Row, T> reader, List<String> problems) {
    List<T> read = new ArrayList<>();
    for (CsvTable.Row row : table.rows()) {
      try {
        if (!row.hasAllColumns()) {
          throw RowProblem.ofRow(
              row,
              "has "
                  + row.size()
                  + " fields where the header has "
                  + row.columnCount()
                  + " columns (a comma inside a field needs the field in quotes)");
        }
        read.add(reader.apply(row));
      } catch (RowProblem problem) {
        problems.add(problem.getMessage());
      }
    }
    return read;
  }

  /** The trimmed text of a cell; null when blank or absent (the models' "not known"). */
  static String text(CsvTable.Row row, String column) {
    return row.get(column).orElse(null);
  }

  /**
   * A yes/no cell; blank is no.
   *
   * @throws RowProblem for anything but true/false, yes/no, y/n, 1/0 (any case)
   */
  static boolean flag(CsvTable.Row row, String column) {
    Optional<String> text = row.get(column);
    if (text.isEmpty()) {
      return false;
    }
    String lower = text.get().toLowerCase(Locale.ROOT);
    if (TRUE.contains(lower)) {
      return true;
    }
    if (FALSE.contains(lower)) {
      return false;
    }
    throw RowProblem.at(
        row, column, "'" + text.get() + "' is not true or false (yes/no, 1/0 work too)");
  }

  /** The columns of {@code table} that {@code known} does not list, for readiness' notes. */
  static List<String> unknown(CsvTable table, Set<String> known) {
    return table.columns().stream().filter(column -> !known.contains(column)).toList();
  }

  /** A row that cannot be used, with the position of the offending cell. */
  static final class RowProblem extends RuntimeException {
    RowProblem(String message) {
      super(message);
    }

    static RowProblem at(CsvTable.Row row, String column, String problem) {
      String where =
          row.field(column)
              .map(
                  field ->
                      "line " + field.line() + ", column " + field.column() + " (" + column + ")")
              .orElse("line " + row.line() + " (" + column + ")");
      return new RowProblem(where + ": " + problem);
    }

    static RowProblem ofRow(CsvTable.Row row, String problem) {
      return new RowProblem("line " + row.line() + ": " + problem);
    }
  }
}
