package com.socactions.cmdb;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A CSV file read strictly (RFC 4180 as spreadsheets and CMDB exports write it): comma-separated,
 * fields optionally in double quotes, {@code ""} for a quote inside quotes, commas and line breaks
 * inside quoted fields, {@code \n}, {@code \r\n} or {@code \r} between records, a UTF-8 byte-order
 * mark ignored, blank lines (and lines of empty fields) skipped. The first record is the header;
 * its names are matched without regard to case, surrounding blanks, spaces or hyphens ({@code
 * "Owner Email"} is {@code owner_email}).
 *
 * <p>Written here rather than taken from a library so that every error names the line and column
 * where the offending field starts, also for records that span lines, and so that what a lenient
 * parser would guess at (a stray quote in an unquoted field, text after a closing quote, a quote
 * left open) is refused with its position instead.
 */
final class CsvTable {
  private final List<String> columns;
  private final Map<String, Integer> columnIndex;
  private final List<Row> rows;

  private CsvTable(List<String> columns, Map<String, Integer> columnIndex, List<Row> rows) {
    this.columns = columns;
    this.columnIndex = columnIndex;
    this.rows = rows;
  }

  /**
   * Reads a whole table.
   *
   * @throws CsvFormatException when the text is not well-formed CSV, has no header, or names a
   *     column twice
   * @throws IOException when the reader fails
   */
  static CsvTable read(Reader reader) throws IOException {
    List<List<Field>> records = new Parser(reader).records();
    if (records.isEmpty()) {
      throw new CsvFormatException(
          1, 1, "the file is empty: it needs a header row naming the columns");
    }
    List<Field> header = records.get(0);
    List<String> columns = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (Field field : header) {
      String name = normalise(field.value());
      if (name.isEmpty()) {
        throw new CsvFormatException(
            field.line(), field.column(), "the header has an empty column name");
      }
      if (index.putIfAbsent(name, columns.size()) != null) {
        throw new CsvFormatException(
            field.line(), field.column(), "the header names column '" + name + "' twice");
      }
      columns.add(name);
    }
    Map<String, Integer> columnIndex = Map.copyOf(index);
    List<Row> rows = new ArrayList<>();
    for (List<Field> record : records.subList(1, records.size())) {
      rows.add(new Row(record, columns.size(), columnIndex));
    }
    return new CsvTable(List.copyOf(columns), columnIndex, List.copyOf(rows));
  }

  /** A header name as columns are looked up: lower case, blanks and hyphens as underscores. */
  static String normalise(String name) {
    return name.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s\\-]+", "_");
  }

  /** Column names, normalised, in file order. */
  List<String> columns() {
    return columns;
  }

  boolean hasColumn(String name) {
    return columnIndex.containsKey(name);
  }

  /** The data rows (header excluded), blank lines skipped. */
  List<Row> rows() {
    return rows;
  }

  /** One cell: its text and where it starts in the file (1-based). */
  record Field(String value, int line, int column) {}

  /** One data record. */
  static final class Row {
    private final List<Field> fields;
    private final int columnCount;
    private final Map<String, Integer> columnIndex;

    private Row(List<Field> fields, int columnCount, Map<String, Integer> columnIndex) {
      this.fields = fields;
      this.columnCount = columnCount;
      this.columnIndex = columnIndex;
    }

    /** The line the record starts on. */
    int line() {
      return fields.get(0).line();
    }

    /** Whether the record has as many fields as the header has columns. */
    boolean hasAllColumns() {
      return fields.size() == columnCount;
    }

    int size() {
      return fields.size();
    }

    /** How many columns the header names. */
    int columnCount() {
      return columnCount;
    }

    /** The trimmed text of a column; empty when the column or the text is absent. */
    Optional<String> get(String column) {
      return field(column).map(field -> field.value().trim()).filter(text -> !text.isEmpty());
    }

    /** The cell of a column, for its position in messages. */
    Optional<Field> field(String column) {
      Integer at = columnIndex.get(column);
      return at == null || at >= fields.size() ? Optional.empty() : Optional.of(fields.get(at));
    }
  }

  /** A one-pass state machine over characters; keeps the position of every field's start. */
  private static final class Parser {
    private static final int EOF = -1;
    private static final char BOM = '\uFEFF';

    private final Reader reader;
    private int line = 1;
    private int column = 0;
    private int pushedBack = Integer.MIN_VALUE;

    Parser(Reader reader) {
      this.reader = reader;
    }

    List<List<Field>> records() throws IOException {
      List<List<Field>> records = new ArrayList<>();
      int first = next();
      if (first != BOM) {
        unread(first);
      } else {
        column = 0; // the mark is not text: the first field starts at column 1
      }
      while (peek() != EOF) {
        List<Field> record = record();
        if (record.stream().anyMatch(field -> !field.value().isBlank())) {
          records.add(record);
        }
      }
      return records;
    }

    private List<Field> record() throws IOException {
      List<Field> fields = new ArrayList<>();
      while (true) {
        fields.add(field());
        int c = next();
        if (c == ',') {
          continue;
        }
        if (c == '\r') {
          int after = next();
          if (after != '\n') {
            unread(after);
          }
          newLine();
        } else if (c == '\n') {
          newLine();
        }
        return fields; // c was a line break or EOF
      }
    }

    /** Reads one field, leaving the separator or line break that ends it unread. */
    private Field field() throws IOException {
      int startLine = line;
      int startColumn = column + 1;
      int c = next();
      if (c != '"') {
        StringBuilder text = new StringBuilder();
        while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
          if (c == '"') {
            throw new CsvFormatException(
                line,
                column,
                "a quote inside an unquoted field: put the whole field in quotes and double the"
                    + " quote (\"\")");
          }
          text.append((char) c);
          c = next();
        }
        unread(c);
        return new Field(text.toString(), startLine, startColumn);
      }
      StringBuilder text = new StringBuilder();
      while (true) {
        c = next();
        if (c == EOF) {
          throw new CsvFormatException(startLine, startColumn, "a quoted field is never closed");
        }
        if (c == '"') {
          int after = next();
          if (after == '"') {
            text.append('"');
            continue;
          }
          if (after != ',' && after != '\n' && after != '\r' && after != EOF) {
            throw new CsvFormatException(
                line,
                column,
                "text after the closing quote of a field (a quote inside quotes is written \"\")");
          }
          unread(after);
          return new Field(text.toString(), startLine, startColumn);
        }
        if (c == '\n' || (c == '\r' && peek() != '\n')) {
          newLine();
        }
        text.append((char) c);
      }
    }

    private int next() throws IOException {
      int c;
      if (pushedBack != Integer.MIN_VALUE) {
        c = pushedBack;
        pushedBack = Integer.MIN_VALUE;
      } else {
        c = reader.read();
      }
      if (c != EOF) {
        column++;
      }
      return c;
    }

    private void unread(int c) {
      pushedBack = c;
      if (c != EOF) {
        column--;
      }
    }

    private int peek() throws IOException {
      int c = next();
      unread(c);
      return c;
    }

    private void newLine() {
      line++;
      column = 0;
    }
  }
}
