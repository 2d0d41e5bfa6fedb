package com.socactions.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * A Java source file split into code and string literals, comments dropped: enough to tell a string
 * literal in code from one in Javadoc, without a parser.
 */
final class JavaText {
  /** A string literal's value (escapes left as written) and its line, from 1. */
  record Literal(String value, int line) {}

  private final String code;
  private final List<Literal> literals;
  private final List<Integer> lineStarts;

  private JavaText(String code, List<Literal> literals) {
    this.code = code;
    this.literals = List.copyOf(literals);
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < code.length(); i++) {
      if (code.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  /**
   * Lexes {@code source}: comments become spaces (newlines kept, so lines still line up), string
   * and text-block literals are collected and their contents blanked in {@link #code()}.
   */
  static JavaText of(String source) {
    StringBuilder code = new StringBuilder(source.length());
    List<Literal> literals = new ArrayList<>();
    int line = 1;
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (source.startsWith("//", i)) {
        while (i < source.length() && source.charAt(i) != '\n') {
          code.append(' ');
          i++;
        }
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? source.length() : end + 2;
        for (; i < end; i++) {
          boolean newline = source.charAt(i) == '\n';
          code.append(newline ? '\n' : ' ');
          line += newline ? 1 : 0;
        }
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        end = end < 0 ? source.length() : end + 3;
        int start = line;
        StringBuilder value = new StringBuilder();
        for (int j = i; j < end; j++) {
          boolean newline = source.charAt(j) == '\n';
          code.append(newline ? '\n' : ' ');
          line += newline ? 1 : 0;
          if (j >= i + 3 && j < end - 3) {
            value.append(source.charAt(j));
          }
        }
        literals.add(new Literal(value.toString(), start));
        i = end;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        StringBuilder value = new StringBuilder();
        while (j < source.length() && source.charAt(j) != c && source.charAt(j) != '\n') {
          if (source.charAt(j) == '\\' && j + 1 < source.length()) {
            value.append(source.charAt(j));
            j++;
          }
          value.append(source.charAt(j));
          j++;
        }
        if (c == '"') {
          literals.add(new Literal(value.toString(), line));
        }
        code.append(c);
        code.append(" ".repeat(Math.max(0, j - i - 1)));
        if (j < source.length() && source.charAt(j) == c) {
          code.append(c);
          j++;
        }
        i = j;
      } else {
        code.append(c);
        line += c == '\n' ? 1 : 0;
        i++;
      }
    }
    return new JavaText(code.toString(), literals);
  }

  /** The source without comments, literals blanked, same length and lines as the source. */
  String code() {
    return code;
  }

  List<Literal> literals() {
    return literals;
  }

  /** The code of one line (from 1), comments dropped and literals blanked. */
  String codeLine(int line) {
    int start = lineStarts.get(line - 1);
    int end = line < lineStarts.size() ? lineStarts.get(line) - 1 : code.length();
    return code.substring(start, end);
  }

  /** The line (from 1) of an offset into {@link #code()}. */
  int lineOf(int offset) {
    int line = 1;
    while (line < lineStarts.size() && lineStarts.get(line) <= offset) {
      line++;
    }
    return line;
  }
}
