package com.socactions.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * npm packages that tests run (Azurite, the Kusto language service), installed once per machine
 * into {@code ~/.cache/soc-actions/<folder>} with the machine's npm, never into the repository.
 */
public final class NpmCache {
  private NpmCache() {}

  /**
   * The install folder of {@code spec} (e.g. {@code azurite@3.35.0}), installing it first unless
   * {@code installed} already holds for it.
   *
   * @param why what needs the package, for the error when npm cannot install it
   * @throws IllegalStateException when npm fails or takes longer than {@code timeout}
   */
  public static synchronized Path install(
      String spec, String folder, Predicate<Path> installed, Duration timeout, String why) {
    Path home = Path.of(System.getProperty("user.home"), ".cache", "soc-actions", folder);
    if (installed.test(home)) {
      return home;
    }
    try {
      Files.createDirectories(home);
      Process npm =
          new ProcessBuilder(
                  List.of(
                      "npm",
                      "install",
                      "--prefix",
                      home.toString(),
                      spec,
                      "--no-audit",
                      "--no-fund",
                      "--loglevel=error"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .directory(new File(System.getProperty("java.io.tmpdir")))
              .start();
      if (!npm.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)
          || npm.exitValue() != 0
          || !installed.test(home)) {
        npm.destroyForcibly();
        throw new IllegalStateException(
            "Could not install " + spec + " with npm into " + home + ": " + why);
      }
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
