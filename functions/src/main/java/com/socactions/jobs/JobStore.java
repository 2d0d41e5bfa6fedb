package com.socactions.jobs;

import com.azure.core.http.rest.PagedIterable;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.socactions.platform.TableReads;
import com.socactions.platform.TableStorage;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Jobs in Table Storage. Three tables:
 *
 * <ul>
 *   <li>{@value #JOBS_TABLE}: one partition per job (its id): the job row ({@value #JOB_ROW}:
 *       state, progress, checkpoint, changed only under its ETag), the stored request, one row per
 *       checkpointed chunk and the answer (each a {@link TableBlobs} byte string);
 *   <li>{@value #KEYS_TABLE}: idempotency keys, partition the first two hex digits of the key's
 *       hash, row the hash, pointing at the job the first request made;
 *   <li>{@value #EXPIRY_TABLE}: the expiry index, partition the hour a job expires in ({@code
 *       hYYYYMMDDHH}), row the job id; and a watermark row saying up to which hour it has been
 *       swept. Expiry reads the partitions of the hours passed since the last sweep, so it costs
 *       what expired, never a scan of the jobs.
 * </ul>
 *
 * <p>Every read is by key; every failure of the table service is an {@link UpstreamException}
 * (retryable), except {@link Conflict} for a job row changed since it was read.
 */
final class JobStore {
  static final String JOBS_TABLE = "jobs";
  static final String KEYS_TABLE = "jobkeys";
  static final String EXPIRY_TABLE = "jobexpiry";
  static final String JOB_ROW = "job";
  static final String REQUEST = "request";
  static final String ANSWER = "answer";
  private static final String WATERMARK = "watermark";

  /** Where {@link TableEntity#getETag()} reads the ETag that conditional writes send. */
  private static final String ETAG = "odata.etag";

  private static final String UPSTREAM = "Table storage";
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);

  /** A job row changed since it was read (another worker moved it on). */
  static final class Conflict extends RuntimeException {
    Conflict(String id) {
      super("job " + id + " changed meanwhile");
    }
  }

  private final Supplier<TableStorage> storage;
  private final String jobsTable;
  private final String keysTable;
  private final String expiryTable;

  JobStore(Supplier<TableStorage> storage) {
    this(storage, "");
  }

  /** With table names that start with {@code prefix} (tests: a set of tables of their own). */
  JobStore(Supplier<TableStorage> storage, String prefix) {
    this.storage = storage;
    this.jobsTable = prefix + JOBS_TABLE;
    this.keysTable = prefix + KEYS_TABLE;
    this.expiryTable = prefix + EXPIRY_TABLE;
  }

  private TableClient jobs() {
    return storage.get().table(jobsTable);
  }

  /**
   * Stores a new job: its expiry index row first (so nothing is left that expiry would not find),
   * the request, the chunks already done, then the job row.
   */
  Job create(Job job, byte[] request, Map<Integer, byte[]> chunksDone) {
    try {
      TableEntity index = new TableEntity(bucket(job.expiresAt()), job.id());
      if (job.keyHash() != null) {
        index.addProperty("key_hash", job.keyHash());
      }
      storage
          .get()
          .table(expiryTable)
          .upsertEntityWithResponse(index, TableEntityUpdateMode.REPLACE, null, Context.NONE);
      TableClient jobs = jobs();
      TableBlobs.write(jobs, job.id(), REQUEST, request);
      chunksDone.forEach(
          (chunk, bytes) -> TableBlobs.write(jobs, job.id(), chunkRow(chunk), bytes));
      TableEntity row = toEntity(job);
      return job.withEtag(
          TableReads.etagOf(jobs.createEntityWithResponse(row, null, Context.NONE).getHeaders()));
    } catch (TableServiceException e) {
      throw upstream("could not store job " + job.id(), e);
    }
  }

  Optional<Job> find(String id) {
    try {
      return Optional.of(fromEntity(jobs().getEntity(id, JOB_ROW)));
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.NOT_FOUND) {
        return Optional.empty();
      }
      throw upstream("could not read job " + id, e);
    }
  }

  /**
   * Replaces the job row if it is unchanged since {@code job} was read.
   *
   * @throws Conflict when it changed
   */
  Job replace(Job job) {
    try {
      TableEntity row = toEntity(job);
      row.addProperty(ETAG, job.etag());
      return job.withEtag(
          TableReads.etagOf(
              jobs()
                  .updateEntityWithResponse(
                      row, TableEntityUpdateMode.REPLACE, true, null, Context.NONE)
                  .getHeaders()));
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.CONFLICT) {
        throw new Conflict(job.id());
      }
      throw upstream("could not update job " + job.id(), e);
    }
  }

  byte[] request(String id) {
    return read(id, REQUEST)
        .orElseThrow(() -> new IllegalStateException("job " + id + " has no stored request"));
  }

  void putChunk(String id, int chunk, byte[] bytes) {
    try {
      TableBlobs.write(jobs(), id, chunkRow(chunk), bytes);
    } catch (TableServiceException e) {
      throw upstream("could not store a chunk of job " + id, e);
    }
  }

  Optional<byte[]> chunk(String id, int chunk) {
    return read(id, chunkRow(chunk));
  }

  void putAnswer(String id, JobAnswer answer) {
    String head =
        answer.status()
            + "\n"
            + answer.contentType()
            + "\n"
            + (answer.retryAfter() == null ? "" : answer.retryAfter())
            + "\n";
    byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[headBytes.length + answer.body().length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(answer.body(), 0, all, headBytes.length, answer.body().length);
    try {
      TableBlobs.write(jobs(), id, ANSWER, all);
    } catch (TableServiceException e) {
      throw upstream("could not store the answer of job " + id, e);
    }
  }

  Optional<JobAnswer> answer(String id) {
    return read(id, ANSWER)
        .map(
            all -> {
              int[] ends = new int[3];
              int line = 0;
              for (int i = 0; i < all.length && line < 3; i++) {
                if (all[i] == '\n') {
                  ends[line++] = i;
                }
              }
              String status = new String(all, 0, ends[0], StandardCharsets.UTF_8);
              String type =
                  new String(all, ends[0] + 1, ends[1] - ends[0] - 1, StandardCharsets.UTF_8);
              String retry =
                  new String(all, ends[1] + 1, ends[2] - ends[1] - 1, StandardCharsets.UTF_8);
              byte[] body = new byte[all.length - ends[2] - 1];
              System.arraycopy(all, ends[2] + 1, body, 0, body.length);
              return new JobAnswer(
                  Integer.parseInt(status),
                  type,
                  body,
                  retry.isEmpty() ? null : Long.valueOf(retry));
            });
  }

  /**
   * Points the idempotency key {@code hash} at {@code jobId}, unless it points at a job that has
   * not expired.
   *
   * @return the job the key already points at, or empty when it now points at {@code jobId}
   */
  Optional<String> claimKey(String hash, String jobId, Instant expiresAt, Instant now) {
    TableClient keys = storage.get().table(keysTable);
    TableEntity row = new TableEntity(keyPartition(hash), hash);
    row.addProperty("job_id", jobId);
    row.addProperty("expires_at", OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
    try {
      keys.createEntity(row);
      return Optional.empty();
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) != UpstreamFailure.CONFLICT) {
        throw upstream("could not store an idempotency key", e);
      }
    }
    TableEntity existing = findKey(hash).orElse(null);
    if (existing != null && !expired(existing, now)) {
      return Optional.of(existing.getProperty("job_id").toString());
    }
    // An expired key not swept yet: this request starts afresh, unless another took it first.
    try {
      if (existing == null) {
        keys.createEntity(row);
      } else {
        row.addProperty(ETAG, existing.getETag());
        keys.updateEntityWithResponse(row, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
      }
      return Optional.empty();
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.CONFLICT) {
        return findKey(hash).map(taken -> taken.getProperty("job_id").toString());
      }
      throw upstream("could not store an idempotency key", e);
    }
  }

  /** The job an idempotency key points at, unless expired. */
  Optional<String> keyOwner(String hash, Instant now) {
    return findKey(hash)
        .filter(row -> !expired(row, now))
        .map(row -> row.getProperty("job_id").toString());
  }

  private Optional<TableEntity> findKey(String hash) {
    try {
      return Optional.of(storage.get().table(keysTable).getEntity(keyPartition(hash), hash));
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.NOT_FOUND) {
        return Optional.empty();
      }
      throw upstream("could not read an idempotency key", e);
    }
  }

  /**
   * Deletes every job whose expiry hour has passed since the last sweep (its rows, its key, its
   * index row), then moves the watermark. Without a watermark (the first sweep) it starts {@code
   * firstLookBack} ago.
   *
   * @return jobs deleted
   */
  int sweep(Instant now, Duration firstLookBack) {
    TableClient expiry = storage.get().table(expiryTable);
    Instant from;
    TableEntity mark = null;
    try {
      mark = expiry.getEntity(WATERMARK, WATERMARK);
      from = ((OffsetDateTime) mark.getProperty("swept_until")).toInstant();
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) != UpstreamFailure.NOT_FOUND) {
        throw upstream("could not read the expiry watermark", e);
      }
      from = now.minus(firstLookBack).truncatedTo(ChronoUnit.HOURS);
    }
    int deleted = 0;
    Instant hour = from;
    try {
      while (!hour.plus(Duration.ofHours(1)).isAfter(now)) {
        for (TableEntity index : partition(expiry, bucket(hour))) {
          deleteJob(index.getRowKey(), (String) index.getProperty("key_hash"));
          expiry.deleteEntity(index.getPartitionKey(), index.getRowKey());
          deleted++;
        }
        hour = hour.plus(Duration.ofHours(1));
      }
      TableEntity next = new TableEntity(WATERMARK, WATERMARK);
      next.addProperty("swept_until", OffsetDateTime.ofInstant(hour, ZoneOffset.UTC));
      if (mark == null) {
        expiry.upsertEntityWithResponse(next, TableEntityUpdateMode.REPLACE, null, Context.NONE);
      } else {
        // Two sweeps at once: the one that read the watermark first moves it.
        next.addProperty(ETAG, mark.getETag());
        expiry.updateEntityWithResponse(
            next, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
      }
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.CONFLICT) {
        return deleted;
      }
      throw upstream("could not sweep expired jobs", e);
    }
    return deleted;
  }

  private void deleteJob(String id, String keyHash) {
    TableClient jobs = jobs();
    List<TableTransactionAction> batch = new ArrayList<>();
    for (TableEntity row : partition(jobs, id)) {
      batch.add(new TableTransactionAction(TableTransactionActionType.DELETE, row));
      if (batch.size() == 100) {
        jobs.submitTransaction(batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      jobs.submitTransaction(batch);
    }
    if (keyHash != null) {
      findKey(keyHash)
          .filter(row -> id.equals(row.getProperty("job_id")))
          .ifPresent(
              row -> {
                try {
                  storage
                      .get()
                      .table(keysTable)
                      .deleteEntityWithResponse(row, true, null, Context.NONE);
                } catch (TableServiceException e) {
                  if (UpstreamFailure.of(e) != UpstreamFailure.NOT_FOUND
                      && UpstreamFailure.of(e) != UpstreamFailure.CONFLICT) {
                    throw e;
                  }
                }
              });
    }
  }

  /** Every row of one partition, keys only: a query by partition key, never a scan. */
  private static PagedIterable<TableEntity> partition(TableClient table, String partition) {
    return table.listEntities(
        new ListEntitiesOptions()
            .setFilter("PartitionKey eq '" + partition.replace("'", "''") + "'")
            .setSelect(List.of("PartitionKey", "RowKey", "key_hash")),
        null,
        Context.NONE);
  }

  private Optional<byte[]> read(String id, String name) {
    try {
      return TableBlobs.read(jobs(), id, name);
    } catch (TableServiceException e) {
      throw upstream("could not read job " + id, e);
    }
  }

  static String bucket(Instant instant) {
    return "h" + HOUR.format(instant);
  }

  static String chunkRow(int chunk) {
    return String.format("chunk.%06d", chunk);
  }

  private static String keyPartition(String hash) {
    return "k" + hash.substring(0, 2);
  }

  private static boolean expired(TableEntity key, Instant now) {
    return key.getProperty("expires_at") instanceof OffsetDateTime at
        && !at.toInstant().isAfter(now);
  }

  private static TableEntity toEntity(Job job) {
    TableEntity row = new TableEntity(job.id(), JOB_ROW);
    row.addProperty("operation", job.operation());
    row.addProperty("state", job.state().wireName());
    row.addProperty("total", job.total());
    row.addProperty("done", job.done());
    row.addProperty("chunks", job.chunks());
    row.addProperty("next_chunk", job.nextChunk());
    row.addProperty("created_at", OffsetDateTime.ofInstant(job.createdAt(), ZoneOffset.UTC));
    row.addProperty("updated_at", OffsetDateTime.ofInstant(job.updatedAt(), ZoneOffset.UTC));
    row.addProperty("expires_at", OffsetDateTime.ofInstant(job.expiresAt(), ZoneOffset.UTC));
    row.addProperty("failures", job.failures());
    if (job.lastError() != null) {
      // A property holds 32K characters; an error message needs far fewer.
      row.addProperty(
          "last_error",
          job.lastError().length() > 2_000 ? job.lastError().substring(0, 2_000) : job.lastError());
    }
    if (job.keyHash() != null) {
      row.addProperty("key_hash", job.keyHash());
    }
    if (job.answerStatus() != null) {
      row.addProperty("answer_status", job.answerStatus());
    }
    return row;
  }

  private static Job fromEntity(TableEntity row) {
    return new Job(
        row.getPartitionKey(),
        (String) row.getProperty("operation"),
        JobState.parse(row.getProperty("state")),
        (Integer) row.getProperty("total"),
        (Integer) row.getProperty("done"),
        (Integer) row.getProperty("chunks"),
        (Integer) row.getProperty("next_chunk"),
        ((OffsetDateTime) row.getProperty("created_at")).toInstant(),
        ((OffsetDateTime) row.getProperty("updated_at")).toInstant(),
        ((OffsetDateTime) row.getProperty("expires_at")).toInstant(),
        (String) row.getProperty("last_error"),
        row.getProperty("failures") instanceof Integer failures ? failures : 0,
        (String) row.getProperty("key_hash"),
        (Integer) row.getProperty("answer_status"),
        row.getETag());
  }

  private static UpstreamException upstream(String what, TableServiceException e) {
    return UpstreamException.ofAzure(UPSTREAM, "Jobs: " + what, e);
  }
}
