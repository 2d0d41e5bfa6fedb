package com.socactions.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OASIS STIX 2.1 JSON schemas ({@code oasis-open/cti-stix2-json-schemas}, recorded in the test
 * resources under {@code recorded/stix2.1-schemas}, see {@code recorded/SOURCES.md}), validating
 * objects independently of the server's own serializer. The schemas' ids are URLs of the STIX
 * repository: they are answered from the recorded copies, and any other id fails the test instead
 * of reaching the network.
 */
final class StixSchemas {
  private static final String BASE =
      "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/";

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(StixSchemas::load));
  private static final Map<String, Schema> BY_TYPE = new ConcurrentHashMap<>();

  private StixSchemas() {}

  /** What the schema of the object's {@code type} finds wrong with it; empty when it is valid. */
  static List<String> errors(JsonNode object) {
    String type = object.path("type").asText();
    Schema schema =
        BY_TYPE.computeIfAbsent(
            type,
            name -> REGISTRY.getSchema(SchemaLocation.of(BASE + "schemas/sdos/" + name + ".json")));
    return schema.validate(object).stream().map(Error::toString).toList();
  }

  private static String load(String iri) {
    if (iri.startsWith(BASE)) {
      return recorded(iri.substring(BASE.length()));
    }
    if (iri.startsWith("https://json-schema.org/")) {
      return null; // the draft 2020-12 meta-schemas ship with the validator
    }
    throw new AssertionError("A STIX schema refers to " + iri + ", which is not recorded");
  }

  private static String recorded(String path) {
    String resource = "/recorded/stix2.1-schemas/" + path;
    try (InputStream in = StixSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new AssertionError("A STIX schema refers to " + path + ", which is not recorded");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
