package com.socactions.bench;

import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.socactions.api.AppServices;
import com.socactions.api.FunctionInjector;
import com.socactions.enrichment.geoip.GeoIpDatabase;
import com.socactions.indicators.IpAddresses;
import com.socactions.localhost.LocalFunctionHost;
import com.socactions.platform.Settings;
import java.io.File;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * EnrichIpAddresses (geo + asn, batches of 1,000) over HTTP against the local host, and the same
 * lookups straight on MaxMind's reader, in one run on the same databases and the same addresses.
 * Prints IPs per second for both and their ratio. A measurement, not a test: it gates nothing.
 *
 * <p>Usage: {@code EnrichBenchmark <city.mmdb> <asn.mmdb> [seconds per phase] [threads]}
 */
public final class EnrichBenchmark {
  private static final int BATCH = 1_000;
  private static final int ADDRESSES = 100_000;

  public static void main(String[] args) throws Exception {
    String city = args[0];
    String asn = args[1];
    Duration phase = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 10);
    int threads =
        args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
    // The host logs one line per call; that is not what is measured here.
    Logger.getLogger("").setLevel(Level.WARNING);
    for (var handler : Logger.getLogger("").getHandlers()) {
      handler.setLevel(Level.WARNING);
    }

    List<String> addresses = randomPublicIpv4(ADDRESSES, new Random(20261126));
    List<InetAddress> parsed =
        addresses.stream().map(text -> IpAddresses.parse(text).orElseThrow()).toList();

    System.out.printf(
        "EnrichBenchmark: %s + %s, %d threads, %d s per phase, %d distinct random public IPv4%n",
        new File(city).getName(), new File(asn).getName(), threads, phase.toSeconds(), ADDRESSES);
    double raw = rawReader(city, asn, parsed, threads, phase, false);
    System.out.printf("raw geoip2 DatabaseReader (tryCity + tryAsn):   %,12.0f IPs/s%n", raw);
    double rawSorted = rawReader(city, asn, parsed, threads, phase, true);
    System.out.printf("  the same, each batch sorted by address first: %,12.0f IPs/s%n", rawSorted);
    double decoded = serviceDecoding(city, asn, parsed, threads, phase);
    System.out.printf("GeoIpDatabase, no HTTP (locate + asn):          %,12.0f IPs/s%n", decoded);
    double http = httpPath(city, asn, addresses, threads, phase);
    System.out.printf("HTTP EnrichIpAddresses (1,000 per call):        %,12.0f IPs/s%n", http);
    System.out.printf("ratio HTTP / raw geoip2 reader:                 %12.2f%n", http / raw);
    System.out.printf("ratio HTTP / raw reader on sorted batches:      %12.2f%n", http / rawSorted);
    System.out.printf("ratio HTTP / GeoIpDatabase without HTTP:        %12.2f%n", http / decoded);
    System.exit(0);
  }

  private static double rawReader(
      String city,
      String asn,
      List<InetAddress> addresses,
      int threads,
      Duration phase,
      boolean sortEachBatch)
      throws Exception {
    DatabaseReader cityReader =
        new DatabaseReader.Builder(new File(city)).withCache(new CHMCache()).build();
    DatabaseReader asnReader =
        new DatabaseReader.Builder(new File(asn)).withCache(new CHMCache()).build();
    return measure(
        threads,
        phase,
        worker -> {
          int offset = worker * 7919 + ThreadLocalCounter.next();
          List<InetAddress> batch = new ArrayList<>(BATCH);
          for (int i = 0; i < BATCH; i++) {
            batch.add(addresses.get((offset + i) % addresses.size()));
          }
          if (sortEachBatch) {
            batch.sort(
                (left, right) ->
                    java.util.Arrays.compareUnsigned(left.getAddress(), right.getAddress()));
          }
          int done = 0;
          for (InetAddress address : batch) {
            try {
              cityReader.tryCity(address);
              asnReader.tryAsn(address);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            done++;
          }
          return done;
        });
  }

  /** The connector's own decoding (slim records on maxmind-db's reader), without HTTP and JSON. */
  private static double serviceDecoding(
      String city, String asn, List<InetAddress> addresses, int threads, Duration phase)
      throws Exception {
    GeoIpDatabase cityDb = GeoIpDatabase.open(Path.of(city));
    GeoIpDatabase asnDb = GeoIpDatabase.open(Path.of(asn));
    return measure(
        threads,
        phase,
        worker -> {
          int offset = worker * 7919 + ThreadLocalCounter.next();
          for (int i = 0; i < BATCH; i++) {
            InetAddress address = addresses.get((offset + i) % addresses.size());
            cityDb.locate(address);
            asnDb.autonomousSystem(address);
          }
          return BATCH;
        });
  }

  private static double httpPath(
      String city, String asn, List<String> addresses, int threads, Duration phase)
      throws Exception {
    AppServices services =
        new AppServices(
            Settings.of(
                Map.of(
                    "GEOIP_CITY_DB",
                    city,
                    "GEOIP_ASN_DB",
                    asn,
                    "RDAP_BOOTSTRAP_URL",
                    "http://127.0.0.1:9/")),
            Clock.systemUTC());
    List<String> bodies = new ArrayList<>();
    for (int start = 0; start + BATCH <= addresses.size(); start += BATCH) {
      StringBuilder body = new StringBuilder("{\"lookups\":[\"geo\",\"asn\"],\"ips\":[");
      for (int i = start; i < start + BATCH; i++) {
        body.append(i > start ? "," : "").append('"').append(addresses.get(i)).append('"');
      }
      bodies.add(body.append("]}").toString());
    }
    try (LocalFunctionHost host =
        LocalFunctionHost.builder()
            .scanPackage("com.socactions.api")
            .injector(new FunctionInjector(services))
            .bindAddress("127.0.0.1")
            .port(0)
            .functionKey("bench")
            .timersEnabled(false)
            .build()
            .start()) {
      // A check with a real HTTP client that the path answers what it should...
      HttpResponse<String> check =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(host.baseUrl() + "v1/enrich/ips"))
                      .header("x-functions-key", "bench")
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(bodies.get(0)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (check.statusCode() != 200 || !check.body().contains("\"country_code\"")) {
        throw new IllegalStateException(
            "EnrichIpAddresses answered " + check.statusCode() + ": " + check.body());
      }
      // ...then a minimal keep-alive client per thread, so the client's own CPU stays small on 2
      // cores.
      ThreadLocal<KeepAliveClient> clients =
          ThreadLocal.withInitial(() -> new KeepAliveClient(host.port()));
      return measure(
          threads,
          phase,
          worker -> {
            String body =
                bodies.get((worker * 31 + ThreadLocalCounter.next() / BATCH) % bodies.size());
            clients.get().post("/api/v1/enrich/ips", "bench", body);
            return BATCH;
          });
    }
  }

  /**
   * HTTP/1.1 over one kept-alive socket: writes a POST, reads the status line, headers and
   * Content-Length bytes.
   */
  private static final class KeepAliveClient {
    private final java.net.Socket socket;
    private final java.io.BufferedInputStream in;
    private final java.io.OutputStream out;
    private byte[] buffer = new byte[1 << 20];

    KeepAliveClient(int port) {
      try {
        socket = new java.net.Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    void post(String path, String key, String json) {
      try {
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String head =
            "POST "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-functions-key: "
                + key
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\n\r\n";
        out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 200")) {
          throw new IllegalStateException("EnrichIpAddresses answered " + status);
        }
        int length = -1;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
          if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        if (length < 0) {
          throw new IllegalStateException(
              "no Content-Length: the benchmark client reads fixed-length answers only");
        }
        if (buffer.length < length) {
          buffer = new byte[length];
        }
        int read = 0;
        while (read < length) {
          int n = in.read(buffer, 0, Math.min(buffer.length, length - read));
          if (n < 0) {
            throw new java.io.EOFException();
          }
          read += n;
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private String readLine() throws java.io.IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new java.io.EOFException();
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }

  /**
   * Runs {@code work} on {@code threads} threads: a warm-up phase, then a measured phase; returns
   * items/s.
   */
  private static double measure(int threads, Duration phase, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      run(pool, threads, phase.dividedBy(2), work); // warm-up: JIT, caches, connections
      return run(pool, threads, phase, work);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double run(ExecutorService pool, int threads, Duration duration, Work work)
      throws Exception {
    LongAdder items = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<?>> futures = new ArrayList<>();
    long started = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int worker = t;
      futures.add(
          pool.submit(
              () -> {
                while (!stop.get()) {
                  items.add(work.run(worker));
                }
                return null;
              }));
    }
    Thread.sleep(duration.toMillis());
    stop.set(true);
    for (Future<?> future : futures) {
      future.get();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return items.sum() / seconds;
  }

  private static List<String> randomPublicIpv4(int count, Random random) {
    List<String> addresses = new ArrayList<>(count);
    while (addresses.size() < count) {
      String text =
          (1 + random.nextInt(223))
              + "."
              + random.nextInt(256)
              + "."
              + random.nextInt(256)
              + "."
              + random.nextInt(256);
      if (IpAddresses.scopeOf(IpAddresses.parse(text).orElseThrow()).isPublic()) {
        addresses.add(text);
      }
    }
    return addresses;
  }

  @FunctionalInterface
  private interface Work {
    int run(int worker);
  }

  /** Spreads successive calls of a thread over the address list. */
  private static final class ThreadLocalCounter {
    private static final ThreadLocal<int[]> COUNT = ThreadLocal.withInitial(() -> new int[1]);

    static int next() {
      int[] count = COUNT.get();
      count[0] = (count[0] + BATCH) & 0x3fffffff;
      return count[0];
    }
  }
}
