package com.socactions.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts the build stamps into the package (see {@code soc-actions-build.properties}). */
public final class BuildInfo {
  static final String RESOURCE = "/soc-actions-build.properties";
  private static final Properties PROPERTIES = load();

  private BuildInfo() {}

  /** The Maven project version of this build, e.g. {@code 1.0.0-SNAPSHOT}. */
  public static String version() {
    return PROPERTIES.getProperty("version");
  }

  private static Properties load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath; the build writes it");
      }
      Properties properties = new Properties();
      properties.load(in);
      if (properties.getProperty("version", "").isBlank()
          || properties.getProperty("version").contains("${")) {
        throw new IllegalStateException(RESOURCE + " has no version; the build filters it");
      }
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
