package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTableTest {

  @Test
  void cellsAreEscaped() {
    String html =
        new HtmlTable("t", List.of("a")).row(List.of("<script>alert('x')</script> & co")).render();
    assertThat(html)
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co")
        .doesNotContain("<script>");
  }

  @Test
  void aLongTableStaysUnderTheCommentLimitWithWholeRowsAndSaysWhatWasLeftOut() {
    HtmlTable table = new HtmlTable("IP enrichment", List.of("IP", "Notes"));
    for (int i = 0; i < 2_000; i++) {
      table.row(
          List.of(
              "10.0." + (i / 256) + "." + (i % 256),
              "a note long enough to fill the comment quickly"));
    }
    String html = table.note("database is stale").render();
    assertThat(html.length()).isLessThanOrEqualTo(HtmlTable.MAX_COMMENT_CHARS);
    assertThat(html).contains("more rows not shown").contains("database is stale");
    int opened = html.split("<tr>", -1).length - 1;
    int closed = html.split("</tr>", -1).length - 1;
    assertThat(opened).isEqualTo(closed).isGreaterThan(100);
    assertThat(html).endsWith("</p>");
  }

  @Test
  void aShortTableIsWhole() {
    String html =
        new HtmlTable("t", List.of("a", "b")).row(java.util.Arrays.asList("1", null)).render();
    assertThat(html)
        .isEqualTo(
            "<p><b>t</b></p><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td></td></tr></table>");
  }
}
