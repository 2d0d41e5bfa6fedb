package com.socactions.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Azurite's table and queue services for tests: installed from npm on first use (pinned {@value
 * #VERSION}, into {@code ~/.cache/soc-actions}), started once per test JVM ({@code azurite}, every
 * service on a free loopback port of its own, so parallel builds on one machine never collide) with
 * {@code --disableTelemetry} and in-memory persistence, stopped when the test run ends. Use with
 * {@code @ExtendWith(Azurite.class)} and read {@link #connectionString()}.
 */
public final class Azurite implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
  public static final String VERSION = "3.35.0";

  /** Azurite's published development account (the same for every installation; not a secret). */
  private static final String ACCOUNT = "devstoreaccount1";

  private static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private static Process process;
  private static int port;
  private static int queuePort;
  private static int blobPort;

  @Override
  public synchronized void beforeAll(ExtensionContext context) throws Exception {
    if (process != null && process.isAlive()) {
      return;
    }
    Path executable = install();
    port = freePort();
    queuePort = freePort();
    // azurite has no switch to leave the blob service out: give it a free port too.
    blobPort = freePort();
    Path log = Files.createTempFile("azurite-", ".log");
    process =
        new ProcessBuilder(
                executable.toString(),
                "--disableTelemetry",
                "--inMemoryPersistence",
                // azure-storage-queue asks for a newer service version than Azurite knows; the
                // calls it makes are the same in the versions Azurite serves.
                "--skipApiVersionCheck",
                "--tableHost",
                "127.0.0.1",
                "--tablePort",
                Integer.toString(port),
                "--queueHost",
                "127.0.0.1",
                "--queuePort",
                Integer.toString(queuePort),
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                Integer.toString(blobPort))
            // Whatever it writes besides (a debug log, an empty blob workspace) stays out of the
            // checkout.
            .directory(Files.createTempDirectory("azurite-").toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    waitForPort(log, port);
    waitForPort(log, queuePort);
    // Root store: closed once, after the last test class of the run.
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .put(Azurite.class.getName(), this);
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      process = null;
    }
  }

  /** The connection string of the running Azurite: its table and queue endpoints. */
  public static String connectionString() {
    if (process == null) {
      throw new IllegalStateException(
          "Azurite is not running: annotate the test with @ExtendWith(Azurite.class)");
    }
    return "DefaultEndpointsProtocol=http;AccountName="
        + ACCOUNT
        + ";AccountKey="
        + ACCOUNT_KEY
        + ";TableEndpoint=http://127.0.0.1:"
        + port
        + "/"
        + ACCOUNT
        + ";QueueEndpoint=http://127.0.0.1:"
        + queuePort
        + "/"
        + ACCOUNT
        + ";";
  }

  private static Path install() {
    return executable(
        NpmCache.install(
            "azurite@" + VERSION,
            "azurite-" + VERSION,
            home -> Files.isExecutable(executable(home)),
            INSTALL_TIMEOUT,
            "tests that need Table Storage need Node.js 20 and the npm registry"));
  }

  /** The full azurite (table and queue services; azurite-table has no queues). */
  private static Path executable(Path home) {
    return home.resolve("node_modules").resolve(".bin").resolve("azurite");
  }

  private static void waitForPort(Path log, int port) throws Exception {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Azurite exited: " + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "Azurite did not listen on 127.0.0.1:"
            + port
            + " within "
            + START_TIMEOUT
            + ": "
            + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
