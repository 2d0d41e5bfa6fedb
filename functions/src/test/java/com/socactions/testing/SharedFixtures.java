package com.socactions.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test data kept beside the checkout in {@code ../shared/fixtures} (never copied into the
 * repo). The parent POM passes its location as {@code soc.shared.dir}.
 */
public final class SharedFixtures {
  private SharedFixtures() {}

  public static Path root() {
    String configured = System.getProperty("soc.shared.dir");
    Path shared = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
    Path fixtures = shared.resolve("fixtures").toAbsolutePath().normalize();
    if (!Files.isDirectory(fixtures)) {
      throw new IllegalStateException(
          "Fixtures not found at " + fixtures + ": tests need ../shared beside the checkout");
    }
    return fixtures;
  }

  /** A text fixture, whole (UTF-8). */
  public static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static Path path(String relative) {
    Path file = root().resolve(relative);
    if (!Files.exists(file)) {
      throw new IllegalStateException("Fixture missing: " + file);
    }
    return file;
  }
}
