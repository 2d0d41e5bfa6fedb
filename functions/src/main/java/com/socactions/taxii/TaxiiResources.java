package com.socactions.taxii;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The TAXII 2.1 resources the server answers with, as JSON records; absent fields are omitted. */
public final class TaxiiResources {
  private TaxiiResources() {}

  /** What {@code /taxii2/} answers: the server and its API roots (absolute URLs). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Discovery(
      String title,
      String description,
      String contact,
      @JsonProperty("default") String defaultApiRoot,
      List<String> apiRoots) {}

  /** What an API root's URL answers. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ApiRoot(
      String title, String description, List<String> versions, long maxContentLength) {}

  /** The collections of an API root. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Collections(List<Collection> collections) {}

  /** One collection. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Collection(
      String id,
      String title,
      String description,
      String alias,
      boolean canRead,
      boolean canWrite,
      List<String> mediaTypes) {}

  /** A page of objects: {@code more} and {@code next} when more follow. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Envelope(Boolean more, String next, List<Object> objects) {}

  /** A page of manifest records. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Manifest(Boolean more, String next, List<ManifestRecord> objects) {}

  /** What the collection holds of one object: its id, date added, version and media type. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ManifestRecord(String id, String dateAdded, String version, String mediaType) {}

  /** The versions of one object the collection holds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Versions(Boolean more, List<String> versions) {}

  /**
   * A TAXII error message.
   *
   * @param httpStatus the status, as a string (TAXII's type for it)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Error(String title, String description, String errorCode, String httpStatus) {}
}
