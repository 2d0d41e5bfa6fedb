package com.socactions.taxii;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.socactions.ledger.BlockLedger;
import com.socactions.platform.Json;
import com.socactions.platform.UpstreamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The TAXII 2.1 server of the block ledger: discovery, the API root {@value #API_ROOT}, its
 * collections ({@link TaxiiCollections}), and their objects, manifests and object versions, read
 * only. Each answer is a {@link Response} the HTTP layer sends as is.
 *
 * <p>Every request is checked in this order: the server is on ({@link TaxiiAccess}; 404 otherwise),
 * the request carries the Basic credentials (401 with {@code WWW-Authenticate}), its {@code Accept}
 * admits TAXII 2.1 (406); then what it names must exist (404) and its parameters be well formed
 * (400). Errors are TAXII error messages. Storage failures are 503 with {@code Retry-After}.
 *
 * <p><b>What a collection holds.</b> The latest version of every block episode of its scope (see
 * {@link com.socactions.ledger.BlockVersion}): an active block, or its revoked last version once it
 * was lifted or expired (kept for the ledger's retention), and the connector's identity. A newer
 * version replaces the older one, at the newer one's date added. Versions are visible {@link
 * #VISIBILITY_DELAY} after they were recorded: the ledger decides a version's date added before it
 * writes the row, and its index entry lands after the row, so a reader that served the last moments
 * could hand a client an {@code X-TAXII-Date-Added-Last} later than an entry still on its way, and
 * the client would never see that entry.
 */
public final class TaxiiServer {
  /** The one API root: {@code /api/taxii2/blocks/}. */
  public static final String API_ROOT = "blocks";

  /** How long after it was recorded a version becomes visible; see the class comment. */
  public static final Duration VISIBILITY_DELAY = Duration.ofMinutes(2);

  /** How long a client should wait after a 503. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(30);

  /**
   * One request, as the HTTP layer read it.
   *
   * @param baseUrl the server's discovery URL as the client reached it, ending in {@code /taxii2/}
   * @param accept the {@code Accept} header, or null
   * @param authorization the {@code Authorization} header, or null
   * @param query the query parameters, decoded
   */
  public record Request(
      String baseUrl, String accept, String authorization, Map<String, String> query) {
    public Request {
      Objects.requireNonNull(baseUrl, "'baseUrl' cannot be null.");
      query = query == null ? Map.of() : Map.copyOf(query);
    }
  }

  /** One answer: status, body (TAXII JSON), and the headers beside {@code Content-Type}. */
  public record Response(int status, byte[] body, Map<String, String> headers) {
    public String contentType() {
      return TaxiiMediaTypes.TAXII_21;
    }
  }

  private final TaxiiAccess access;
  private final TaxiiCollections collections;
  private final CollectionPages pages;
  private final Clock clock;

  public TaxiiServer(
      TaxiiAccess access, TaxiiCollections collections, Supplier<BlockLedger> ledger, Clock clock) {
    this.access = access;
    this.collections = collections;
    this.pages = new CollectionPages(ledger);
    this.clock = clock;
  }

  /** Whether the server is on. */
  public boolean isEnabled() {
    return access.isEnabled();
  }

  public TaxiiCollections collections() {
    return collections;
  }

  /** {@code GET /taxii2/}: the server and its API root. */
  public Response discovery(Request request) {
    return serve(
        request,
        () -> {
          String root = request.baseUrl() + API_ROOT + "/";
          return ok(
              new TaxiiResources.Discovery(
                  "SOC Actions TAXII server",
                  "The blocks SOC Actions playbooks made, as STIX 2.1 indicators.",
                  null,
                  root,
                  List.of(root)),
              Map.of());
        });
  }

  /** {@code GET /taxii2/{root}/}. */
  public Response apiRoot(Request request, String root) {
    return serve(
        request,
        () -> {
          checkRoot(root);
          // The collections are read only: no request may carry content.
          return ok(
              new TaxiiResources.ApiRoot(
                  "SOC Actions block ledger",
                  "Every block SOC Actions playbooks made, per enforcement point and in all.",
                  List.of(TaxiiMediaTypes.TAXII_21),
                  0),
              Map.of());
        });
  }

  /** {@code GET /taxii2/{root}/collections/}. */
  public Response collections(Request request, String root) {
    return serve(
        request,
        () -> {
          checkRoot(root);
          return ok(
              new TaxiiResources.Collections(
                  collections.list().stream().map(TaxiiServer::resource).toList()),
              Map.of());
        });
  }

  /** {@code GET /taxii2/{root}/collections/{id}/}. */
  public Response collection(Request request, String root, String collection) {
    return serve(request, () -> ok(resource(find(root, collection)), Map.of()));
  }

  /** {@code GET /taxii2/{root}/collections/{id}/objects/}: a page of objects. */
  public Response objects(Request request, String root, String collection) {
    return serve(
        request,
        () -> {
          TaxiiCollections.Collection found = find(root, collection);
          CollectionPages.Page page = page(found, request);
          List<Object> objects =
              page.entries().stream().map(CollectionPages.Entry::object).toList();
          return ok(
              new TaxiiResources.Envelope(
                  page.more() || !objects.isEmpty() ? page.more() : null,
                  next(found, page),
                  objects.isEmpty() ? null : objects),
              dateAddedHeaders(page.entries()));
        });
  }

  /** {@code GET /taxii2/{root}/collections/{id}/manifest/}: a page of manifest records. */
  public Response manifest(Request request, String root, String collection) {
    return serve(
        request,
        () -> {
          TaxiiCollections.Collection found = find(root, collection);
          CollectionPages.Page page = page(found, request);
          List<TaxiiResources.ManifestRecord> records =
              page.entries().stream()
                  .map(
                      entry ->
                          new TaxiiResources.ManifestRecord(
                              entry.id(),
                              TaxiiTimestamps.dateAdded(entry.dateAdded()),
                              TaxiiTimestamps.stix(entry.modified()),
                              TaxiiMediaTypes.STIX_21))
                  .toList();
          return ok(
              new TaxiiResources.Manifest(
                  page.more() || !records.isEmpty() ? page.more() : null,
                  next(found, page),
                  records.isEmpty() ? null : records),
              dateAddedHeaders(page.entries()));
        });
  }

  /** {@code GET /taxii2/{root}/collections/{id}/objects/{object-id}/}: one object. */
  public Response object(Request request, String root, String collection, String objectId) {
    return serve(
        request,
        () -> {
          TaxiiQuery query = TaxiiQuery.parse(request.query());
          CollectionPages.Entry entry = findObject(root, collection, objectId);
          List<CollectionPages.Entry> served =
              (query.addedAfter() == null || entry.dateAdded().isAfter(query.addedAfter()))
                      && query.admitsSpec21()
                      && query.admitsVersion(entry.modified())
                  ? List.of(entry)
                  : List.of();
          return ok(
              new TaxiiResources.Envelope(
                  served.isEmpty() ? null : false,
                  null,
                  served.isEmpty() ? null : List.of(entry.object())),
              dateAddedHeaders(served));
        });
  }

  /** {@code GET /taxii2/{root}/collections/{id}/objects/{object-id}/versions/}. */
  public Response versions(Request request, String root, String collection, String objectId) {
    return serve(
        request,
        () -> {
          TaxiiQuery.parse(request.query());
          CollectionPages.Entry entry = findObject(root, collection, objectId);
          return ok(
              new TaxiiResources.Versions(false, List.of(TaxiiTimestamps.stix(entry.modified()))),
              dateAddedHeaders(List.of(entry)));
        });
  }

  private CollectionPages.Page page(TaxiiCollections.Collection collection, Request request) {
    TaxiiQuery query = TaxiiQuery.parse(request.query());
    String after = query.next() == null ? null : NextToken.decode(query.next(), collection.id());
    return pages.page(collection, query, after, visibleUntil());
  }

  private CollectionPages.Entry findObject(String root, String collection, String objectId) {
    TaxiiCollections.Collection found = find(root, collection);
    return pages
        .find(found, objectId, visibleUntil())
        .orElseThrow(
            () ->
                TaxiiException.notFound(
                    "Collection " + found.id() + " holds no object " + objectId));
  }

  private Instant visibleUntil() {
    return clock.instant().minus(VISIBILITY_DELAY);
  }

  private static String next(TaxiiCollections.Collection collection, CollectionPages.Page page) {
    return page.more() ? NextToken.encode(collection.id(), page.nextPosition()) : null;
  }

  private static Map<String, String> dateAddedHeaders(List<CollectionPages.Entry> entries) {
    if (entries.isEmpty()) {
      return Map.of();
    }
    Instant first = entries.get(0).dateAdded();
    Instant last = first;
    for (CollectionPages.Entry entry : entries) {
      first = entry.dateAdded().isBefore(first) ? entry.dateAdded() : first;
      last = entry.dateAdded().isAfter(last) ? entry.dateAdded() : last;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-TAXII-Date-Added-First", TaxiiTimestamps.dateAdded(first));
    headers.put("X-TAXII-Date-Added-Last", TaxiiTimestamps.dateAdded(last));
    return headers;
  }

  private TaxiiCollections.Collection find(String root, String collection) {
    checkRoot(root);
    return collections
        .find(collection)
        .orElseThrow(
            () ->
                TaxiiException.notFound(
                    "No collection "
                        + collection
                        + " in API root "
                        + API_ROOT
                        + "; GET its collections/ for the list"));
  }

  private static void checkRoot(String root) {
    if (!API_ROOT.equals(root)) {
      throw TaxiiException.notFound(
          "No API root " + root + "; the server's one API root is " + API_ROOT);
    }
  }

  private static TaxiiResources.Collection resource(TaxiiCollections.Collection collection) {
    return new TaxiiResources.Collection(
        collection.id(),
        collection.title(),
        collection.description(),
        collection.alias(),
        true,
        false,
        List.of(TaxiiMediaTypes.STIX_21));
  }

  // ---- the checks every request passes, and errors ------------------------------------------

  private Response serve(Request request, Supplier<Response> body) {
    if (!access.isEnabled()) {
      return error(
          new TaxiiException(
              404,
              "Not found",
              "taxii-off",
              "The TAXII server is off: set "
                  + TaxiiAccess.USER_SETTING
                  + " and "
                  + TaxiiAccess.PASSWORD_SETTING),
          Map.of());
    }
    if (!access.permits(request.authorization())) {
      return error(
          new TaxiiException(
              401,
              "Unauthorized",
              "unauthorized",
              "Send the TAXII user and password with HTTP Basic authentication"),
          Map.of("WWW-Authenticate", TaxiiAccess.CHALLENGE));
    }
    if (!TaxiiMediaTypes.acceptsTaxii21(request.accept())) {
      return error(
          new TaxiiException(
              406,
              "Not acceptable",
              "not-acceptable",
              "This server answers " + TaxiiMediaTypes.TAXII_21 + " only, not " + request.accept()),
          Map.of());
    }
    try {
      return body.get();
    } catch (TaxiiException e) {
      return error(e, Map.of());
    } catch (UpstreamException e) {
      return error(
          new TaxiiException(
              503,
              "Service unavailable",
              "storage-unavailable",
              "The ledger's storage did not answer; try again later"),
          Map.of("Retry-After", Long.toString(RETRY_AFTER.toSeconds())));
    }
  }

  private static Response ok(Object resource, Map<String, String> headers) {
    return new Response(200, write(resource), headers);
  }

  private static Response error(TaxiiException problem, Map<String, String> headers) {
    return new Response(problem.status(), write(problem.toError()), headers);
  }

  private static byte[] write(Object resource) {
    try {
      return Json.MAPPER.writeValueAsBytes(resource);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("TAXII resources are plain records", e);
    }
  }
}
