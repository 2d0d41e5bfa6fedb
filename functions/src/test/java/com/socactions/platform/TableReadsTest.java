package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.socactions.testing.Azurite;
import com.socactions.testing.TestKit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Point reads by key, and the ETag of a write as a conditional write can use it. */
@ExtendWith(Azurite.class)
class TableReadsTest {
  private final TableClient table =
      TestKit.storage(Settings.of(Map.of("STATE_STORAGE_CONNECTION", Azurite.connectionString())))
          .table("reads" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));

  @Test
  void theEtagOfAWriteGuardsTheNextConditionalWrite() {
    Response<Void> created =
        table.createEntityWithResponse(
            new TableEntity("p", "r").addProperty("n", 1), null, Context.NONE);
    String etag = TableReads.etagOf(created.getHeaders());

    Response<Void> updated =
        table.updateEntityWithResponse(
            new TableEntity("p", "r").addProperty("n", 2).addProperty("odata.etag", etag),
            TableEntityUpdateMode.REPLACE,
            true,
            null,
            Context.NONE);

    assertThat(etag).endsWith("\"");
    assertThat(updated.getStatusCode()).isEqualTo(204);
  }

  @Test
  void anEtagWithoutItsClosingQuoteGetsItBackAndNoEtagIsNull() {
    HttpHeaders cut =
        new HttpHeaders().set(HttpHeaderName.ETAG, "W/\"datetime'2026-12-05T06%3A00%3A00Z'");

    assertThat(TableReads.etagOf(cut)).isEqualTo("W/\"datetime'2026-12-05T06%3A00%3A00Z'\"");
    assertThat(TableReads.etagOf(new HttpHeaders())).isNull();
    assertThat(TableReads.etagOf(null)).isNull();
  }

  @Test
  void manyKeysAreReadEachOnceAndAbsentOnesAreLeftOut() {
    for (int i = 0; i < 40; i++) {
      table.createEntity(new TableEntity("p" + i % 3, "r" + i));
    }
    List<TableReads.Key> keys =
        List.of(
            new TableReads.Key("p0", "r0"),
            new TableReads.Key("p1", "r1"),
            new TableReads.Key("p1", "r1"),
            new TableReads.Key("p2", "nope"));

    Map<TableReads.Key, TableEntity> found = TableReads.getAll(table, keys, "test");

    assertThat(found)
        .containsOnlyKeys(new TableReads.Key("p0", "r0"), new TableReads.Key("p1", "r1"));
  }
}
