package com.socactions.cmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTableTest {

  private static CsvTable read(String text) throws IOException {
    return CsvTable.read(new StringReader(text));
  }

  @Test
  void quotedFieldsKeepCommasLineBreaksAndDoubledQuotes() throws IOException {
    CsvTable table =
        read(
            "name,title\n"
                + "a,\"Board Member, Audit\"\n"
                + "b,\"two\nlines\"\n"
                + "c,\"the \"\"big\"\" one\"\n");

    assertThat(table.rows())
        .extracting(row -> row.get("title").orElseThrow())
        .containsExactly("Board Member, Audit", "two\nlines", "the \"big\" one");
  }

  @Test
  void headerNamesAreMatchedWithoutCaseBlanksOrHyphensInAnyOrder() throws IOException {
    CsvTable table = read("\uFEFFOwner Email , NAME,is-hva\r\nx@contoso.com,web01,yes\r\n");

    assertThat(table.columns()).containsExactly("owner_email", "name", "is_hva");
    CsvTable.Row row = table.rows().get(0);
    assertThat(row.get("name")).contains("web01");
    assertThat(row.get("owner_email")).contains("x@contoso.com");
    assertThat(row.field("owner_email").orElseThrow().column())
        .as("the BOM is not a column")
        .isEqualTo(1);
  }

  @Test
  void blankLinesAreSkippedAndRowsKnowTheLineTheyStartOn() throws IOException {
    CsvTable table = read("name,note\n\na,\"spans\r\ntwo lines\"\n,\n\rb,x");

    assertThat(table.rows()).extracting(CsvTable.Row::line).containsExactly(3, 7);
    assertThat(table.rows().get(1).field("note").orElseThrow())
        .isEqualTo(new CsvTable.Field("x", 7, 3));
  }

  @Test
  void aQuoteNeverClosedIsRefusedWhereItOpened() {
    assertThatThrownBy(() -> read("name,title\na,b\nc,\"open\nd,e\n"))
        .isInstanceOf(CsvFormatException.class)
        .hasMessage("line 3, column 3: a quoted field is never closed");
  }

  @Test
  void aStrayQuoteInAnUnquotedFieldIsRefusedWithItsPosition() {
    assertThatThrownBy(() -> read("name,title\nweb01,6\" screen\n"))
        .isInstanceOf(CsvFormatException.class)
        .hasMessageStartingWith("line 2, column 8: a quote inside an unquoted field");
  }

  @Test
  void textAfterAClosingQuoteIsRefused() {
    assertThatThrownBy(() -> read("name\n\"web01\"x\n"))
        .isInstanceOf(CsvFormatException.class)
        .hasMessageStartingWith("line 2, column 8: text after the closing quote");
  }

  @Test
  void aColumnNamedTwiceIsRefused() {
    assertThatThrownBy(() -> read("name,Name\n"))
        .isInstanceOf(CsvFormatException.class)
        .hasMessage("line 1, column 6: the header names column 'name' twice");
  }

  @Test
  void anEmptyFileHasNoHeader() {
    assertThatThrownBy(() -> read("\n\n")).hasMessageContaining("needs a header row");
  }

  @Test
  void aShortRowIsReadAndSaysSo() throws IOException {
    List<CsvTable.Row> rows = read("a,b,c\n1,2\n").rows();

    assertThat(rows.get(0).hasAllColumns()).isFalse();
    assertThat(rows.get(0).get("c")).isEmpty();
  }
}
