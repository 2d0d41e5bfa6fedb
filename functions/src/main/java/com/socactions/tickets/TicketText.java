package com.socactions.tickets;

import com.socactions.sentinel.IncidentComment;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/** Plain-text pieces the ticket systems share: comment lines, closing notes, HTML flattened. */
final class TicketText {
  private static final Pattern BREAKS = Pattern.compile("(?i)<br\\s*/?>|</p>|</div>|</tr>|</li>");
  private static final Pattern TAGS = Pattern.compile("<[^>]*>");
  private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");

  private TicketText() {}

  /**
   * A ticket comment copied from an incident comment, marked so inbound sync never copies it back.
   */
  static String commentLine(IncidentComment comment) {
    StringBuilder line = new StringBuilder(TicketSyncService.FROM_SENTINEL_PREFIX);
    if (comment.author() != null && !comment.author().isBlank()) {
      line.append(' ').append(comment.author());
    }
    if (comment.createdAt() != null) {
      line.append(" at ").append(DateTimeFormatter.ISO_INSTANT.format(comment.createdAt()));
    }
    return line.append(":\n").append(plain(comment.message())).toString();
  }

  /** What the ticket's close notes say about a Closed incident. */
  static String closingNote(TicketContent content) {
    String classification =
        content.classification() == null ? "Undetermined" : content.classification();
    String note = "Closed in Microsoft Sentinel as " + classification;
    return content.closingNote() == null || content.closingNote().isBlank()
        ? note + "."
        : note + ": " + content.closingNote();
  }

  /** The classification reason Sentinel accepts with a classification; null for Undetermined. */
  static String reasonFor(String classification) {
    if (classification == null) {
      return null;
    }
    return switch (classification) {
      case "TruePositive" -> "SuspiciousActivity";
      case "BenignPositive" -> "SuspiciousButExpected";
      case "FalsePositive" -> "IncorrectAlertLogic";
      default -> null;
    };
  }

  /** Sentinel comments are HTML; tickets want text. Tags dropped, breaks kept, entities decoded. */
  static String plain(String html) {
    if (html == null) {
      return "";
    }
    String text = BREAKS.matcher(html).replaceAll("\n");
    text = TAGS.matcher(text).replaceAll("");
    text =
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&nbsp;", " ")
            .replace("&amp;", "&");
    return BLANK_LINES.matcher(text.strip()).replaceAll("\n\n");
  }

  /** At most {@code max} characters, never splitting a surrogate pair. */
  static String cut(String text, int max) {
    if (text == null) {
      return "";
    }
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isLowSurrogate(text.charAt(max)) ? max - 1 : max;
    return text.substring(0, end);
  }
}
