package com.socactions.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.indicators.Cidr;
import com.socactions.indicators.IpAddresses;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Json;
import com.socactions.platform.PolicyRefusedException;
import com.socactions.platform.UpstreamException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Conditional Access IP named locations through Graph ({@code
 * /identity/conditionalAccess/namedLocations/{id}}): read one, add ranges to it, remove ranges from
 * it. A {@code PATCH} replaces the whole {@code ipRanges} list and Graph documents no etag for it,
 * so each change is a read-modify-write that keeps every range it did not touch, serialised per
 * location within this process. Writers in other instances must be serialised by the caller (a
 * lease in Table Storage), who passes a {@link BeforeWrite} that checks, right before each attempt
 * of the {@code PATCH}, that it still holds that lease. Calls are paced (one a second per tenant).
 * Permissions: Policy.Read.All and Policy.ReadWrite.ConditionalAccess.
 *
 * <p>Ranges are compared by their canonical network, so {@code 12.34.221.11/22} as Graph holds it
 * is the same range as {@code 12.34.220.0/22}; ranges Graph holds are written back as Graph holds
 * them. Adding what is there and removing what is not write nothing.
 */
public final class GraphNamedLocations {
  public static final String LOCATION_SETTING = "ENTRA_NAMED_LOCATION_ID";

  /** Entra ID's limit on the ranges of one IP named location (location-condition.md). */
  public static final int DEFAULT_MAX_IP_RANGES = 2000;

  /**
   * Written when a removal would leave the list empty, which an IP named location cannot be: a
   * documentation address (RFC 5737) that no sign-in comes from. Dropped by the next add.
   */
  public static final String PLACEHOLDER_RANGE = "192.0.2.1/32";

  static final String PATH = "/identity/conditionalAccess/namedLocations/";
  static final String IP_LOCATION_TYPE = "#microsoft.graph.ipNamedLocation";
  static final String IPV4_TYPE = "#microsoft.graph.iPv4CidrRange";
  static final String IPV6_TYPE = "#microsoft.graph.iPv6CidrRange";

  /**
   * Runs right before each attempt of a change's {@code PATCH}, with the ranges it adds (removes):
   * a caller that serialises writers with a lease checks it there, and throws to stop the write.
   */
  @FunctionalInterface
  public interface BeforeWrite {
    BeforeWrite NOTHING = changing -> {};

    void check(List<Cidr> changing);
  }

  private final GraphClient graph;
  private final int maxRanges;
  private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

  public GraphNamedLocations(GraphClient graph) {
    this(graph, DEFAULT_MAX_IP_RANGES);
  }

  GraphNamedLocations(GraphClient graph, int maxRanges) {
    this.graph = Objects.requireNonNull(graph, "'graph' cannot be null.");
    this.maxRanges = maxRanges;
  }

  /**
   * The IP named location.
   *
   * @return empty when Graph holds no named location with this id
   * @throws IllegalArgumentException when {@code id} is not a GUID
   * @throws ConfigurationException when it is a named location of another kind (countries)
   * @throws UpstreamException when Graph fails or refuses
   */
  public Optional<IpNamedLocation> get(String id) {
    return read(id).map(GraphNamedLocations::location);
  }

  /**
   * Adds the ranges the location does not hold yet, keeping all others.
   *
   * @throws PolicyRefusedException {@code named_location_full} when the location would hold more
   *     than {@value #DEFAULT_MAX_IP_RANGES} ranges (nothing is written)
   * @throws ConfigurationException when the location does not exist or is not an IP location
   * @throws UpstreamException when Graph fails or refuses
   */
  public RangeChange add(String id, Collection<Cidr> ranges) {
    return change(id, ranges, true, BeforeWrite.NOTHING);
  }

  /**
   * As {@link #add(String, Collection)}, calling {@code beforeWrite} right before each attempt of
   * the {@code PATCH}; what it throws passes through and nothing is written.
   */
  public RangeChange add(String id, Collection<Cidr> ranges, BeforeWrite beforeWrite) {
    return change(id, ranges, true, beforeWrite);
  }

  /**
   * Removes the ranges the location holds, keeping all others.
   *
   * @see #add for the failures
   */
  public RangeChange remove(String id, Collection<Cidr> ranges) {
    return change(id, ranges, false, BeforeWrite.NOTHING);
  }

  /** As {@link #remove(String, Collection)}, with {@code beforeWrite} as for {@link #add}. */
  public RangeChange remove(String id, Collection<Cidr> ranges, BeforeWrite beforeWrite) {
    return change(id, ranges, false, beforeWrite);
  }

  private RangeChange change(
      String id, Collection<Cidr> ranges, boolean add, BeforeWrite beforeWrite) {
    Set<Cidr> wanted = new LinkedHashSet<>(ranges);
    synchronized (locks.computeIfAbsent(checkedId(id), key -> new Object())) {
      ObjectNode held =
          read(id)
              .orElseThrow(
                  () ->
                      new ConfigurationException(
                          LOCATION_SETTING,
                          "Microsoft Graph holds no named location "
                              + id
                              + "; set "
                              + LOCATION_SETTING
                              + " to an IP named location"));
      List<JsonNode> kept = new ArrayList<>();
      Set<Cidr> heldNetworks = new LinkedHashSet<>();
      for (JsonNode range : held.path("ipRanges")) {
        Optional<Cidr> network = network(range.path("cidrAddress").asText(""));
        network.ifPresent(heldNetworks::add);
        boolean placeholder = range.path("cidrAddress").asText("").equals(PLACEHOLDER_RANGE);
        boolean removed = !add && network.isPresent() && wanted.contains(network.get());
        if (!removed && !(add && placeholder && !wanted.isEmpty())) {
          kept.add(range);
        }
      }
      List<Cidr> changed = new ArrayList<>();
      List<Cidr> unchanged = new ArrayList<>();
      for (Cidr range : wanted) {
        (heldNetworks.contains(range) == add ? unchanged : changed).add(range);
      }
      if (changed.isEmpty()) {
        return new RangeChange(changed, unchanged, held.path("ipRanges").size(), false);
      }
      ArrayNode next = Json.UPSTREAM.createArrayNode();
      kept.forEach(
          range ->
              next.add(
                  rangeNode(
                      range.path("cidrAddress").asText(), range.path("@odata.type").asText(null))));
      if (add) {
        changed.forEach(range -> next.add(rangeNode(range.toString(), null)));
      }
      if (next.size() > maxRanges) {
        throw new PolicyRefusedException(
            "named_location_full",
            "The named location holds "
                + kept.size()
                + " ranges; adding "
                + changed.size()
                + " would pass Entra ID's limit of "
                + maxRanges);
      }
      if (next.isEmpty()) {
        next.add(rangeNode(PLACEHOLDER_RANGE, IPV4_TYPE));
      }
      ObjectNode body = Json.UPSTREAM.createObjectNode();
      body.put("@odata.type", IP_LOCATION_TYPE);
      body.put("displayName", held.path("displayName").asText());
      body.put("isTrusted", held.path("isTrusted").asBoolean(false));
      body.set("ipRanges", next);
      List<Cidr> changing = List.copyOf(changed);
      GraphResponse written =
          graph.send(
              GraphRequest.patch("patch", PATH + id, body), () -> beforeWrite.check(changing));
      if (!written.isSuccess()) {
        throw written.toException(
            GraphClient.UPSTREAM
                + " could not update named location "
                + id
                + ": "
                + written.reason());
      }
      return new RangeChange(changed, unchanged, next.size(), true);
    }
  }

  private Optional<ObjectNode> read(String id) {
    GraphResponse response = graph.send(GraphRequest.get("get", PATH + checkedId(id)));
    if (response.failure().filter(failure -> failure == GraphFailure.NOT_FOUND).isPresent()) {
      return Optional.empty();
    }
    if (!response.isSuccess() || !(response.body() instanceof ObjectNode location)) {
      String message =
          GraphClient.UPSTREAM + " could not read named location " + id + ": " + response.reason();
      throw response.isSuccess()
          ? UpstreamException.badResponse(GraphClient.UPSTREAM, message, null, null)
          : response.toException(message);
    }
    if (!IP_LOCATION_TYPE.equals(location.path("@odata.type").asText())) {
      throw new ConfigurationException(
          LOCATION_SETTING,
          "Named location "
              + id
              + " is a "
              + location.path("@odata.type").asText("location of unknown type")
              + ", not an IP named location");
    }
    return Optional.of(location);
  }

  private static IpNamedLocation location(ObjectNode held) {
    List<String> ranges = new ArrayList<>();
    held.path("ipRanges").forEach(range -> ranges.add(range.path("cidrAddress").asText()));
    return new IpNamedLocation(
        held.path("id").asText(),
        held.path("displayName").asText(),
        held.path("isTrusted").asBoolean(false),
        ranges);
  }

  private static ObjectNode rangeNode(String cidrAddress, String heldType) {
    String type =
        heldType != null ? heldType : cidrAddress.indexOf(':') >= 0 ? IPV6_TYPE : IPV4_TYPE;
    return Json.UPSTREAM
        .createObjectNode()
        .put("@odata.type", type)
        .put("cidrAddress", cidrAddress);
  }

  /** The network of a {@code cidrAddress} as Graph holds it, host bits allowed. */
  static Optional<Cidr> network(String cidrAddress) {
    int slash = cidrAddress.indexOf('/');
    if (slash < 0 || !cidrAddress.substring(slash + 1).matches("[0-9]{1,3}")) {
      return Optional.empty();
    }
    Optional<InetAddress> address = IpAddresses.parse(cidrAddress.substring(0, slash));
    int prefix = Integer.parseInt(cidrAddress.substring(slash + 1));
    if (address.isEmpty() || prefix > IpAddresses.bitsOf(address.get())) {
      return Optional.empty();
    }
    return Optional.of(Cidr.containing(address.get(), prefix));
  }

  private static String checkedId(String id) {
    if (!GraphPaths.isGuid(id)) {
      throw new IllegalArgumentException("a named location id must be a GUID, not '" + id + "'");
    }
    return id.toLowerCase(Locale.ROOT);
  }
}
