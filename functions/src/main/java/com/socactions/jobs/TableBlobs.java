package com.socactions.jobs;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.socactions.platform.UpstreamFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A byte string of any size kept in table rows of one partition: gzipped, cut into binary
 * properties of {@value #PART_BYTES} bytes (a property holds at most 64 KiB), {@value
 * #PARTS_PER_ROW} to a row (a row holds at most 1 MiB, and binary travels as base64), the rows
 * named {@code name}, {@code name.1}, ... The first row says how many rows there are, so a read is
 * that many point reads. Writes replace, so writing the same name again (a chunk run twice) leaves
 * one copy.
 */
final class TableBlobs {
  static final int PART_BYTES = 60 * 1024;
  static final int PARTS_PER_ROW = 10;
  private static final String ROWS = "rows";

  private TableBlobs() {}

  static void write(TableClient table, String partition, String name, byte[] bytes) {
    byte[] packed = gzip(bytes);
    int perRow = PART_BYTES * PARTS_PER_ROW;
    int rows = Math.max(1, (packed.length + perRow - 1) / perRow);
    // Later rows first: the first row, which says how many there are, is written last.
    for (int row = rows - 1; row >= 0; row--) {
      TableEntity entity = new TableEntity(partition, row == 0 ? name : name + "." + row);
      int from = row * perRow;
      int to = Math.min(packed.length, from + perRow);
      int parts = Math.max(1, (to - from + PART_BYTES - 1) / PART_BYTES);
      for (int part = 0; part < parts; part++) {
        int start = from + part * PART_BYTES;
        entity.addProperty(
            "p" + part, Arrays.copyOfRange(packed, start, Math.min(to, start + PART_BYTES)));
      }
      if (row == 0) {
        entity.addProperty(ROWS, rows);
      }
      table.upsertEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, null, Context.NONE);
    }
  }

  static Optional<byte[]> read(TableClient table, String partition, String name) {
    TableEntity first = find(table, partition, name);
    if (first == null) {
      return Optional.empty();
    }
    int rows = first.getProperty(ROWS) instanceof Integer count ? count : 1;
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    for (int row = 0; row < rows; row++) {
      TableEntity entity = row == 0 ? first : find(table, partition, name + "." + row);
      if (entity == null) {
        return Optional.empty();
      }
      for (int part = 0; entity.getProperty("p" + part) instanceof byte[] bytes; part++) {
        packed.writeBytes(bytes);
      }
    }
    return Optional.of(gunzip(packed.toByteArray()));
  }

  private static TableEntity find(TableClient table, String partition, String row) {
    try {
      return table.getEntity(partition, row);
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] bytes) {
    try (GZIPInputStream zip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return zip.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("a stored job payload is damaged", e);
    }
  }
}
