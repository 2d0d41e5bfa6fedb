package com.socactions.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * The size and modification time of a file: cheap to read, and what an update changes. Reference
 * data the app reloads on change (GeoIP databases, CMDB CSV files) compares these.
 */
public record FileVersion(long size, FileTime modifiedAt) {
  /**
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException when it cannot be read (for example, being replaced right now)
   */
  public static FileVersion of(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    return new FileVersion(attributes.size(), attributes.lastModifiedTime());
  }
}
