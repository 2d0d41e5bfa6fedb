package com.socactions.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * A compact HTML table for a Sentinel incident comment. Sentinel accepts HTML comments of at most
 * 30,000 characters; the table stays under that by leaving out whole rows (never cutting a tag) and
 * saying how many were left out. Rows are rendered as they are added, so a caller with a thousand
 * rows can stop building cells once {@link #isFull()}.
 */
public final class HtmlTable {
  /** Sentinel's limit for one incident comment, in characters. */
  public static final int MAX_COMMENT_CHARS = 30_000;

  /** Room kept for the notes and the "rows not shown" line under the table. */
  static final int NOTES_BUDGET = 2_000;

  private static final int MAX_NOTE_CHARS = 400;

  private final StringBuilder html = new StringBuilder();
  private final List<String> notes = new ArrayList<>();
  private final int rowBudget;
  private int omittedRows;

  public HtmlTable(String title, List<String> headers) {
    this(title, headers, MAX_COMMENT_CHARS);
  }

  /**
   * A table that renders to at most {@code maxChars} characters, for a comment that holds several
   * tables (each gets its share of {@link #MAX_COMMENT_CHARS}).
   *
   * @throws IllegalArgumentException when {@code maxChars} leaves no room for a row
   */
  public HtmlTable(String title, List<String> headers, int maxChars) {
    if (maxChars <= NOTES_BUDGET) {
      throw new IllegalArgumentException(
          "'maxChars' must be more than " + NOTES_BUDGET + ", not " + maxChars + ".");
    }
    this.rowBudget = maxChars - NOTES_BUDGET - "</table>".length();
    html.append("<p><b>").append(escape(title)).append("</b></p><table><tr>");
    for (String header : headers) {
      html.append("<th>").append(escape(header)).append("</th>");
    }
    html.append("</tr>");
  }

  /** Adds a row; null cells render empty. Cells are text, escaped here. */
  public HtmlTable row(List<String> cells) {
    if (isFull()) {
      omittedRows++;
      return this;
    }
    int before = html.length();
    html.append("<tr>");
    for (String cell : cells) {
      html.append("<td>").append(cell == null ? "" : escape(cell)).append("</td>");
    }
    html.append("</tr>");
    if (html.length() > rowBudget) {
      html.setLength(before);
      omittedRows++;
    }
    return this;
  }

  /**
   * True once a row has been left out: later rows will be too, so callers may skip building them.
   */
  public boolean isFull() {
    return omittedRows > 0;
  }

  /** Counts a row the caller did not build because the table {@link #isFull()}. */
  public HtmlTable skipRow() {
    omittedRows++;
    return this;
  }

  /** A line of text under the table (e.g. a stale-database warning), shortened if very long. */
  public HtmlTable note(String text) {
    notes.add(text.length() <= MAX_NOTE_CHARS ? text : text.substring(0, MAX_NOTE_CHARS) + "...");
    return this;
  }

  public String render() {
    StringBuilder out =
        new StringBuilder(html.length() + NOTES_BUDGET).append(html).append("</table>");
    int notesLeft = NOTES_BUDGET - 200; // the omission line below needs at most ~120 characters
    for (String note : notes) {
      String rendered = "<p>" + escape(note) + "</p>";
      if (rendered.length() > notesLeft) {
        break;
      }
      out.append(rendered);
      notesLeft -= rendered.length();
    }
    if (omittedRows > 0) {
      out.append("<p><i>")
          .append(omittedRows)
          .append(" more rows not shown (comment size limit); see the action's output.</i></p>");
    }
    return out.toString();
  }

  public static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
