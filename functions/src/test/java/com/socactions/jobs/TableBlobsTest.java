package com.socactions.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.socactions.platform.Settings;
import com.socactions.testing.Azurite;
import com.socactions.testing.TestKit;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Azurite.class)
class TableBlobsTest {
  private final TableClient table =
      TestKit.storage(Settings.of(Map.of("STATE_STORAGE_CONNECTION", Azurite.connectionString())))
          .table("blobs" + System.nanoTime() % 100_000);

  @Test
  void anAnswerLargerThanARowIsKeptAcrossRowsAndReadBackWhole() {
    byte[] noise = new byte[3 * 1024 * 1024];
    new Random(7).nextBytes(noise);

    TableBlobs.write(table, "p", "answer", noise);

    assertThat(TableBlobs.read(table, "p", "answer")).hasValue(noise);
  }

  @Test
  void writingANameAgainReplacesItAndAnEmptyValueReadsBackEmpty() {
    TableBlobs.write(table, "q", "chunk", new byte[] {1, 2, 3});
    TableBlobs.write(table, "q", "chunk", new byte[0]);

    assertThat(TableBlobs.read(table, "q", "chunk")).hasValue(new byte[0]);
    assertThat(TableBlobs.read(table, "q", "missing")).isEmpty();
  }
}
