package com.socactions.docs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little of GitHub-flavoured Markdown the docs tests need: the anchors a page offers (heading
 * slugs as GitHub makes them, and explicit {@code <a id>}s) and the links and bare URLs it holds
 * outside code.
 */
final class Markdown {
  private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
  private static final Pattern HTML_ANCHOR =
      Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
  // [text](target) and ![alt](target); the target ends at the first space or closing parenthesis.
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?");
  private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*(\\S+)");
  private static final Pattern BARE_URL = Pattern.compile("https?://[^\\s)<>\\]\"'`|]+");
  private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

  /** A link or URL in a page, with its line (from 1) for messages. */
  record Link(int line, String target) {}

  private final List<String> lines;

  Markdown(String text) {
    this.lines = text.lines().toList();
  }

  /** Every anchor the page offers, as a fragment without {@code #}. */
  Set<String> anchors() {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String heading : headings()) {
      // GitHub numbers repeated headings: setup, setup-1, setup-2.
      String slug = slug(heading);
      int count = seen.merge(slug, 1, Integer::sum);
      anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
    }
    forEachProseLine(
        (number, line) ->
            HTML_ANCHOR.matcher(line).results().forEach(a -> anchors.add(a.group(1))));
    return anchors;
  }

  /** The headings' texts, in order (for checks that a topic has a section). */
  List<String> headings() {
    List<String> headings = new ArrayList<>();
    forEachProseLine(
        (number, line) -> {
          Matcher heading = HEADING.matcher(line);
          if (heading.matches()) {
            headings.add(heading.group(2));
          }
        });
    return headings;
  }

  /** Link targets outside code blocks and code spans. */
  List<Link> links() {
    List<Link> links = new ArrayList<>();
    forEachProseLine(
        (number, line) -> {
          String prose = withoutCodeSpans(line);
          Matcher link = LINK.matcher(prose);
          while (link.find()) {
            links.add(new Link(number, link.group(1)));
          }
          Matcher reference = REFERENCE.matcher(prose);
          if (reference.find()) {
            links.add(new Link(number, reference.group(1)));
          }
        });
    return links;
  }

  /**
   * http(s) URLs outside code blocks and code spans that are no link target: GitHub turns them into
   * links too.
   */
  List<Link> bareUrls() {
    List<Link> urls = new ArrayList<>();
    forEachProseLine(
        (number, line) -> {
          String prose = LINK.matcher(withoutCodeSpans(line)).replaceAll(" ");
          prose = HTML_ANCHOR.matcher(prose).replaceAll(" ");
          Matcher url = BARE_URL.matcher(prose);
          while (url.find()) {
            // As GitHub's autolinks do: trailing punctuation ends the sentence, not the URL.
            urls.add(new Link(number, url.group().replaceAll("[.,;:!?]+$", "")));
          }
        });
    return urls;
  }

  /**
   * The fragment GitHub gives a heading: lower case, markup and punctuation other than {@code -}
   * and {@code _} dropped, spaces to hyphens.
   */
  static String slug(String heading) {
    String text = heading.replaceAll("<[^>]+>", "");
    // Link text stays, its target goes: [text](url) -> text.
    text = text.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
    StringBuilder slug = new StringBuilder();
    text.toLowerCase(Locale.ROOT)
        .codePoints()
        .forEach(
            c -> {
              if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
              } else if (c == ' ') {
                slug.append('-');
              }
            });
    return slug.toString();
  }

  private static String withoutCodeSpans(String line) {
    return CODE_SPAN.matcher(line).replaceAll(" ");
  }

  private interface LineVisitor {
    void visit(int number, String line);
  }

  /** Visits the lines outside fenced code blocks, numbered from 1. */
  private void forEachProseLine(LineVisitor visitor) {
    String fence = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher opening = FENCE.matcher(line);
      if (fence == null && opening.find()) {
        fence = opening.group(1);
        continue;
      }
      if (fence != null) {
        if (line.strip().startsWith(fence)) {
          fence = null;
        }
        continue;
      }
      visitor.visit(i + 1, line);
    }
  }
}
