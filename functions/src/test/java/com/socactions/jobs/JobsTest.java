package com.socactions.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.socactions.platform.Json;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.platform.UpstreamException;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Jobs on Azurite with a scripted service: what goes to a job (up front and while running), a job
 * through its chunks, a worker that dies and one that keeps failing, idempotent retries, expiry.
 * Time is a manual ticker the service moves as its chunks "take" time, and a clock moved by hand.
 */
@ExtendWith(Azurite.class)
class JobsTest {
  private static int tables;

  /** The scripted service's answer: one result per item. */
  record Echo(List<String> results) {}

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final AtomicLong ticker = new AtomicLong();
  private final WorkRates rates = new WorkRates();
  private final List<List<String>> calls = new CopyOnWriteArrayList<>();
  private Duration perChunk = Duration.ofSeconds(1);
  private Function<List<String>, RuntimeException> failure = items -> null;
  private int dieOnCall = -1;
  private JobStore store;
  private QueueClient queue;
  private Jobs jobs;

  @BeforeEach
  void start() {
    String prefix = "t" + (++tables) + "x" + (System.nanoTime() % 100_000);
    Settings settings =
        Settings.of(
            Map.of(
                "STATE_STORAGE_CONNECTION",
                Azurite.connectionString(),
                JobQueue.QUEUE_SETTING,
                "jobs-" + prefix));
    TableStorage storage = TestKit.storage(settings);
    store = new JobStore(() -> storage, prefix);
    queue =
        new QueueClientBuilder()
            .connectionString(Azurite.connectionString())
            .queueName("jobs-" + prefix)
            .messageEncoding(QueueMessageEncoding.BASE64)
            .buildClient();
    queue.createIfNotExists();
    jobs =
        new Jobs(
            store,
            new JobQueue(
                JobQueue.Options.from(settings), TestKit.credentials(settings), TestKit.kit()),
            new SyncBudget(Duration.ofSeconds(60), rates),
            rates,
            request -> work(items(request)),
            new Jobs.AnswerWriter() {
              @Override
              public JobAnswer answered(Object response) {
                try {
                  return new JobAnswer(
                      200, JobAnswer.JSON, Json.MAPPER.writeValueAsBytes(response), null);
                } catch (JsonProcessingException e) {
                  throw new IllegalStateException(e);
                }
              }

              @Override
              public Optional<JobAnswer> refusal(RuntimeException e, StoredRequest request) {
                return e instanceof IllegalArgumentException
                    ? Optional.of(
                        new JobAnswer(
                            422,
                            "application/problem+json",
                            e.getMessage().getBytes(StandardCharsets.UTF_8),
                            null))
                    : Optional.empty();
              }
            },
            clock,
            ticker::get,
            Jobs.DEFAULT_RETENTION,
            Jobs.DEFAULT_WORKER_SLICE);
  }

  private BatchWork<Echo, String> work(List<String> items) {
    return new BatchWork<>(
        new BatchWork.Spec<>(
            "EchoItems",
            "EchoItems",
            2,
            item -> item.toLowerCase(Locale.ROOT),
            this::echo,
            Echo::results,
            (all, ran) -> new Echo(all),
            (input, why) -> "failed " + input + ": " + why,
            Echo.class,
            count -> Duration.ofMillis(100).multipliedBy(count)),
        items);
  }

  private Echo echo(List<String> items) {
    calls.add(List.copyOf(items));
    ticker.addAndGet(perChunk.toNanos());
    if (calls.size() == dieOnCall) {
      throw new Error("worker killed");
    }
    RuntimeException failed = failure.apply(items);
    if (failed != null) {
      throw failed;
    }
    return new Echo(items.stream().map(item -> "done " + item).toList());
  }

  private static StoredRequest request(List<String> items) {
    return new StoredRequest(
        "EchoItems", Json.MAPPER.valueToTree(items).toString(), "run-1", "corr-1", "/api/v1/echo");
  }

  private static List<String> items(StoredRequest request) {
    List<String> items = new ArrayList<>();
    try {
      Json.MAPPER.readTree(request.body()).forEach(node -> items.add(node.asText()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return items;
  }

  private static List<String> items(int count) {
    return IntStream.range(0, count).mapToObj(i -> "item" + i).toList();
  }

  private Jobs.Outcome handle(List<String> items, String key, boolean preferAsync) {
    return jobs.handle(request(items), work(items), key, preferAsync);
  }

  private List<String> queued() {
    return queue.peekMessages(32, null, null).stream()
        .map(PeekedMessageItem::getBody)
        .map(Object::toString)
        .toList();
  }

  private Echo answer(String id) throws Exception {
    Jobs.View view = jobs.find(id).orElseThrow();
    assertThat(view).isInstanceOf(Jobs.Finished.class);
    JobAnswer answer = ((Jobs.Finished) view).answer();
    assertThat(answer.status()).isEqualTo(200);
    return Json.MAPPER.readValue(answer.body(), Echo.class);
  }

  private static String jobId(Jobs.Outcome outcome) {
    assertThat(outcome).isInstanceOf(Jobs.Accepted.class);
    return ((Jobs.Accepted) outcome).progress().jobId();
  }

  @Test
  void aRequestThatFitsTheBudgetIsAnsweredInTheCallInRequestOrderWithDuplicatesTogether() {
    Jobs.Outcome outcome = handle(List.of("a", "b", "A", "c", "d"), "key-1", false);

    assertThat(outcome).isInstanceOf(Jobs.Answered.class);
    assertThat(((Echo) ((Jobs.Answered) outcome).response()).results())
        .containsExactly("done a", "done b", "done A", "done c", "done d");
    // "a" and "A" answer together: one chunk holds both.
    assertThat(calls).containsExactly(List.of("a", "A"), List.of("b", "c"), List.of("d"));
    assertThat(queued()).isEmpty();
  }

  @Test
  void moreThanAThousandItemsGoToAJobBeforeAnyRuns() {
    String id = jobId(handle(items(1_001), null, false));

    assertThat(calls).isEmpty();
    assertThat(queued()).containsExactly(id);
    Jobs.Running running = (Jobs.Running) jobs.find(id).orElseThrow();
    assertThat(running.progress().status()).isEqualTo(JobState.QUEUED);
    assertThat(running.progress().total()).isEqualTo(1_001);
    assertThat(running.progress().done()).isZero();
  }

  @Test
  void aTextThatIsNotAJobIdNamesNoJob() {
    String id = jobId(handle(items(1_001), null, false));

    assertThat(Jobs.isJobId(id)).isTrue();
    assertThat(jobs.find(id.toUpperCase(Locale.ROOT))).isEmpty();
    assertThat(jobs.find("../" + id)).isEmpty();
    assertThat(jobs.find(null)).isEmpty();
    assertThat(Jobs.isJobId("PartitionKey eq 'x'")).isFalse();
  }

  @Test
  void preferRespondAsyncMakesAJobWhateverTheSize() {
    String id = jobId(handle(List.of("a"), null, true));

    assertThat(calls).isEmpty();
    assertThat(queued()).containsExactly(id);
  }

  @Test
  void aSlowPaceObservedEarlierSendsTheNextLargeRequestToAJobUpFront() {
    rates.observe("EchoItems", 20, Duration.ofSeconds(20));

    Jobs.Outcome large = handle(items(100), null, false);
    Jobs.Outcome small = handle(items(40), null, false);

    assertThat(small).isInstanceOf(Jobs.Answered.class);
    assertThat(large).isInstanceOf(Jobs.Accepted.class);
  }

  @Test
  void aCallWhosePaceWouldPassTheBudgetHandsTheRestToAJobThatFinishesWithTheSameAnswer()
      throws Exception {
    perChunk = Duration.ofSeconds(25);
    List<String> items = items(8);

    String id = jobId(handle(items, null, false));

    assertThat(calls).containsExactly(List.of("item0", "item1"));
    Jobs.Running running = (Jobs.Running) jobs.find(id).orElseThrow();
    assertThat(running.progress().done()).isEqualTo(2);
    assertThat(running.progress().status()).isEqualTo(JobState.RUNNING);

    jobs.work(id);

    assertThat(calls).hasSize(4).doesNotHaveDuplicates();
    assertThat(answer(id)).isEqualTo(echoAll(items));
  }

  @Test
  void aWorkerThatDiesMidJobIsFollowedByOneThatResumesFromTheCheckpoint() throws Exception {
    List<String> items = items(6);
    String id = jobId(handle(items, null, true));
    dieOnCall = 2;

    // The first worker runs chunk 0, then dies inside chunk 1 (no exception handler runs).
    assertThatThrownBy(() -> jobs.work(id)).isInstanceOf(Error.class);
    assertThat(((Jobs.Running) jobs.find(id).orElseThrow()).progress().done()).isEqualTo(2);

    // The message comes back (its lease ran out): the next worker starts at chunk 1.
    jobs.work(id);

    assertThat(calls)
        .containsExactly(
            List.of("item0", "item1"),
            List.of("item2", "item3"),
            List.of("item2", "item3"),
            List.of("item4", "item5"));
    assertThat(answer(id)).isEqualTo(echoAll(items));
  }

  @Test
  void aChunkThatKeepsFailingIsRecordedAndThePoisonedJobAnswersItsItemsFailedNamingWhy()
      throws Exception {
    List<String> items = items(6);
    String id = jobId(handle(items, null, true));
    failure =
        part ->
            part.contains("item2")
                ? UpstreamException.retryLater("Microsoft Graph", "Graph is down", null)
                : null;

    for (int attempt = 0; attempt < 5; attempt++) {
      assertThatThrownBy(() -> jobs.work(id)).isInstanceOf(UpstreamException.class);
    }
    assertThat(store.find(id).orElseThrow().lastError()).contains("Graph is down");
    assertThat(store.find(id).orElseThrow().failures()).isEqualTo(5);

    jobs.fail(id);

    List<String> results = answer(id).results();
    assertThat(results.subList(0, 2)).containsExactly("done item0", "done item1");
    assertThat(results.subList(2, 6))
        .allSatisfy(
            result ->
                assertThat(result)
                    .startsWith("failed item")
                    .contains("Graph is down", "run the action again"));
    // A poisoned message seen again changes nothing.
    jobs.fail(id);
    jobs.work(id);
    assertThat(answer(id).results()).isEqualTo(results);
  }

  @Test
  void aRefusalOfTheRequestAsAWholeEndsTheJobWithTheAnswerTheCallWouldHaveGiven() {
    String id = jobId(handle(items(4), null, true));
    failure = part -> new IllegalArgumentException("provider 'panos' is not configured");

    jobs.work(id);

    JobAnswer answer = ((Jobs.Finished) jobs.find(id).orElseThrow()).answer();
    assertThat(answer.status()).isEqualTo(422);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("not configured");
    assertThat(calls).hasSize(1);
  }

  @Test
  void theFirstChunkOfACallThrowsAsTheSynchronousCallAlwaysHas() {
    failure = part -> UpstreamException.retryLater("Defender", "down", null);

    assertThatThrownBy(() -> handle(items(4), null, false)).isInstanceOf(UpstreamException.class);
    assertThat(queued()).isEmpty();
  }

  @Test
  void aLaterChunkThatFailsInTheCallIsLeftToAJobThatRetriesIt() throws Exception {
    failure =
        part ->
            part.contains("item2") && calls.size() == 2
                ? UpstreamException.retryLater("Defender", "down", null)
                : null;
    List<String> items = items(4);

    String id = jobId(handle(items, null, false));
    jobs.work(id);

    assertThat(answer(id)).isEqualTo(echoAll(items));
  }

  @Test
  void aRetriedRequestWithTheSameKeyAndBodyGetsTheSameJob() {
    String first = jobId(handle(items(1_200), "run-42", false));

    assertThat(jobId(handle(items(1_200), "run-42", false))).isEqualTo(first);
    assertThat(jobId(handle(items(1_201), "run-42", false))).isNotEqualTo(first);
    assertThat(jobId(handle(items(1_200), "run-43", false))).isNotEqualTo(first);
    assertThat(jobId(handle(items(1_200), null, false))).isNotEqualTo(first);
    assertThat(queued()).hasSize(4);
  }

  @Test
  void aJobIsGoneAfterItsRetentionAndExpiryDeletesItsRowsAndFreesItsKey() throws Exception {
    String id = jobId(handle(items(4), "run-7", true));
    jobs.work(id);
    assertThat(answer(id)).isNotNull();

    clock.advance(Jobs.DEFAULT_RETENTION);
    assertThat(jobs.find(id)).isEmpty();
    clock.advance(Duration.ofHours(1));

    assertThat(jobs.expire()).isGreaterThanOrEqualTo(1);
    assertThat(store.find(id)).isEmpty();
    assertThat(store.chunk(id, 0)).isEmpty();
    assertThat(jobId(handle(items(4), "run-7", true))).isNotEqualTo(id);
    // What is swept is not swept again: the watermark moved past it.
    assertThat(jobs.expire()).isZero();
  }

  @Test
  void aJobThatHasNotMovedForFifteenMinutesIsQueuedAgainWhenPolled() {
    String id = jobId(handle(items(4), null, true));
    queue.clearMessages();

    clock.advance(Duration.ofMinutes(10));
    jobs.find(id);
    assertThat(queued()).isEmpty();

    clock.advance(Duration.ofMinutes(6));
    jobs.find(id);
    assertThat(queued()).containsExactly(id);
  }

  @Test
  void aWorkerPastItsSliceQueuesTheRestAndReturns() throws Exception {
    perChunk = Duration.ofMinutes(2);
    List<String> items = items(8);
    String id = jobId(handle(items, null, true));
    queue.clearMessages();

    jobs.work(id);

    assertThat(calls).hasSize(2);
    assertThat(queued()).containsExactly(id);
    jobs.work(id);
    jobs.work(id);
    assertThat(answer(id)).isEqualTo(echoAll(items));
  }

  @Test
  void anUnknownJobIsNotFound() {
    assertThat(jobs.find("00000000-0000-0000-0000-000000000000")).isEmpty();
  }

  private static Echo echoAll(List<String> items) {
    return new Echo(items.stream().map(item -> "done " + item).toList());
  }
}
