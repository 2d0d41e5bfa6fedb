package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.socactions.localhost.samples.queue.QueueFunctions;
import com.socactions.testing.Azurite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queue triggers on Azurite's queue service with the host's semantics: delete on success, retry
 * after {@code visibilityTimeout}, poison after {@code maxDequeueCount}, and a dead host's message
 * picked up by the next host once its lease runs out. Waits are for events, with a deadline.
 */
@ExtendWith(Azurite.class)
class QueueRunnerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private String queue;
  private QueueClient client;
  private QueueClient poison;

  @BeforeEach
  void queues() {
    QueueFunctions.SEEN.clear();
    QueueFunctions.POISONED.clear();
    QueueFunctions.release = new CountDownLatch(1);
    queue = "work-" + UUID.randomUUID().toString().substring(0, 8);
    client = client(queue);
    poison = client(queue + "-poison");
    client.createIfNotExists();
  }

  @AfterEach
  void letGo() {
    QueueFunctions.release.countDown();
  }

  private static QueueClient client(String name) {
    return new QueueClientBuilder()
        .connectionString(Azurite.connectionString())
        .queueName(name)
        .messageEncoding(QueueMessageEncoding.BASE64)
        .buildClient();
  }

  private LocalFunctionHost host(Duration lease) throws Exception {
    Path hostJson = dir.resolve("host.json");
    Files.writeString(
        hostJson,
        "{\"extensions\": {\"queues\": {\"maxPollingInterval\": \"00:00:00.2\","
            + " \"visibilityTimeout\": \"00:00:00\", \"maxDequeueCount\": 3, \"batchSize\": 4}}}");
    return LocalFunctionHost.builder()
        .scanPackage("com.socactions.localhost.samples.queue")
        .hostJson(hostJson)
        .port(0)
        .functionKey("k")
        .queueConnection(Azurite.connectionString())
        .renameQueue("work", queue)
        .renameQueue("work-poison", queue + "-poison")
        .messageLease(lease)
        .build()
        .start();
  }

  @Test
  void aMessageRunsItsFunctionOnceAndIsDeleted() throws Exception {
    try (LocalFunctionHost host = host(Duration.ofMinutes(1))) {
      client.sendMessage("hello");

      await(() -> QueueFunctions.SEEN.contains("hello#1"));
      await(() -> client.getProperties().getApproximateMessagesCount() == 0);
    }
    assertThat(QueueFunctions.SEEN).containsExactly("hello#1");
  }

  @Test
  void aMessageThatKeepsFailingIsTriedMaxDequeueCountTimesThenMovedToThePoisonQueue()
      throws Exception {
    try (LocalFunctionHost host = host(Duration.ofMinutes(1))) {
      client.sendMessage("fail");

      await(() -> QueueFunctions.POISONED.contains("fail"));
    }
    assertThat(QueueFunctions.SEEN).containsExactly("fail#1", "fail#2", "fail#3");
    assertThat(client.getProperties().getApproximateMessagesCount()).isZero();
  }

  @Test
  void aHostThatDiesLeavesItsMessageToTheNextHostOnceTheLeaseRunsOut() throws Exception {
    LocalFunctionHost first = host(Duration.ofSeconds(2));
    client.sendMessage("hang");
    await(() -> QueueFunctions.SEEN.contains("hang#1"));

    first.close();
    QueueFunctions.release = new CountDownLatch(0);
    try (LocalFunctionHost second = host(Duration.ofSeconds(2))) {
      await(() -> QueueFunctions.SEEN.contains("hang#2"));
      await(() -> client.getProperties().getApproximateMessagesCount() == 0);
    }
    assertThat(QueueFunctions.SEEN).containsExactly("hang#1", "hang#2");
    assertThat(QueueFunctions.POISONED).isEmpty();
  }

  @Test
  void theHostListsItsQueueFunctionsWithTheQueuesTheyListenOn() throws Exception {
    try (LocalFunctionHost host = host(Duration.ofMinutes(1))) {
      assertThat(host.queues())
          .containsEntry("Work", queue)
          .containsEntry("WorkPoison", queue + "-poison");
      assertThat(host.functions())
          .filteredOn(f -> f.trigger() == TriggerKind.QUEUE)
          .extracting(FunctionInfo::connection)
          .containsOnly("SAMPLE_QUEUES");
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + DEADLINE);
      }
      Thread.sleep(50);
    }
  }
}
