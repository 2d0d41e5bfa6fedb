package com.socactions.cmdb;

/** A CSV file is not well-formed at a position (1-based line and column). */
final class CsvFormatException extends RuntimeException {
  private final int line;
  private final int column;

  CsvFormatException(int line, int column, String problem) {
    super("line " + line + ", column " + column + ": " + problem);
    this.line = line;
    this.column = column;
  }

  int line() {
    return line;
  }

  int column() {
    return column;
  }
}
