package com.socactions.blocking;

import com.socactions.blocking.EnforcementOutcome.Status;
import com.socactions.graph.GraphNamedLocations;
import com.socactions.graph.RangeChange;
import com.socactions.indicators.Cidr;
import com.socactions.indicators.IndicatorType;
import com.socactions.ledger.Action;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.PolicyRefusedException;
import com.socactions.platform.TableLease;
import com.socactions.platform.UpstreamException;
import com.socactions.providers.Capability;
import com.socactions.providers.Readiness;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Provider {@value #ID}: blocks IPs and CIDRs (IPv4 and IPv6) by adding them to one Conditional
 * Access IP named location ({@value GraphNamedLocations#LOCATION_SETTING}), which a Conditional
 * Access policy made by hand blocks sign-ins from. Unblock and expiry remove them. Other indicator
 * types, and allow entries, answer {@code UNSUPPORTED} without a call. Configured when {@value
 * GraphNamedLocations#LOCATION_SETTING} is set and the settings name an Azure identity ({@link
 * AzureCredentials#isConfigured}); the identity needs Graph's Policy.Read.All and
 * Policy.ReadWrite.ConditionalAccess application permissions.
 *
 * <p>Calls per batch: one read-modify-write of the location's range list (a paced {@code GET} and,
 * when something changes, one {@code PATCH}), however many indicators the batch holds; a batch that
 * only extends our own blocks costs nothing, since the location holds no expiry. Graph keeps no
 * ETag on named locations, so two instances writing at once would each drop the other's ranges:
 * every read-modify-write runs inside a {@link TableLease} on the location's id, which serialises
 * writers across instances (within one instance {@link GraphNamedLocations} already does). The
 * lease is renewed while the read-modify-write runs, however long Graph's throttling makes it, and
 * its fence is checked right before each attempt of the {@code PATCH}: a lease lost meanwhile
 * (another instance took it over) stops the write, and the read-modify-write runs again under the
 * lease taken anew, on the list as the other instance left it. So no write of one instance
 * overwrites another's.
 *
 * <p>Why a renewed, fenced lease rather than one writer that merges every instance's pending
 * changes: the connector answers each request with what Conditional Access now holds, so each
 * request has to wait for its own write either way; the lease gives that with one row and no queue,
 * and writers that queue on it are paced at one Graph call a second, the limit of the API.
 *
 * <p>Outcomes: {@code DONE} for ranges added (removed), {@code NOT_OURS} for ranges the location
 * held already, put there by someone else ({@code NOT_FOUND} for removals of ranges it did not
 * hold). Removals only ever name ranges the ledger holds as the connector's. A batch that would
 * take the location past Entra ID's limit ({@value GraphNamedLocations#DEFAULT_MAX_IP_RANGES}
 * ranges) fails each of its entries with that reason, and writes nothing. When Graph, the token or
 * the lease fails for the whole batch, every entry is {@code FAILED}, with a {@code retryAfter}
 * when trying later can help. A malformed setting throws {@link ConfigurationException} from {@link
 * #apply}; {@link #remove} answers {@code FAILED} instead, so that the expiry timer keeps the
 * entries pending and goes on with the other providers.
 */
public final class EntraNamedLocationEnforcementPoint implements EnforcementPoint {
  public static final String ID = "entra-named-location";

  /** The table that holds the leases, one row per named location. */
  public static final String LEASE_TABLE = "Leases";

  /**
   * When a whole-batch failure came without {@code Retry-After}: a hint for the caller's caller.
   */
  static final Duration DEFAULT_RETRY_HINT = Duration.ofSeconds(30);

  private final boolean configured;
  private final Supplier<Optional<String>> locationId;
  private final Supplier<GraphNamedLocations> locations;
  private final Supplier<TableLease> lease;
  private final Supplier<Readiness> graphReadiness;

  /**
   * Cheap: builds nothing until asked.
   *
   * @param configured whether {@value GraphNamedLocations#LOCATION_SETTING} is set and the app has
   *     an Azure identity
   * @param locationId the named location's id, read on first use (throws {@link
   *     ConfigurationException} when malformed)
   * @param lease the lease on {@value #LEASE_TABLE}, built on first use (it opens a table)
   * @param graphReadiness Graph's own check (token, the named location found), shared with provider
   *     {@code graph} so that health asks Graph once
   */
  public EntraNamedLocationEnforcementPoint(
      boolean configured,
      Supplier<Optional<String>> locationId,
      Supplier<GraphNamedLocations> locations,
      Supplier<TableLease> lease,
      Supplier<Readiness> graphReadiness) {
    this.configured = configured;
    this.locationId = Objects.requireNonNull(locationId, "'locationId' cannot be null.");
    this.locations = Objects.requireNonNull(locations, "'locations' cannot be null.");
    this.lease = Objects.requireNonNull(lease, "'lease' cannot be null.");
    this.graphReadiness =
        Objects.requireNonNull(graphReadiness, "'graphReadiness' cannot be null.");
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "Microsoft Entra Conditional Access named location";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.BLOCK);
  }

  @Override
  public String description() {
    return "Adds IPs and CIDRs to the IP named location "
        + GraphNamedLocations.LOCATION_SETTING
        + " names, which a Conditional Access policy blocks sign-ins from; unblock and expiry"
        + " remove them. Signed by the app's Azure identity (Graph"
        + " Policy.ReadWrite.ConditionalAccess)";
  }

  @Override
  public boolean isConfigured() {
    return configured;
  }

  @Override
  public Set<IndicatorType> supportedTypes() {
    return Set.of(IndicatorType.IP, IndicatorType.CIDR);
  }

  @Override
  public boolean supportsAllow() {
    return false;
  }

  @Override
  public List<EnforcementOutcome> apply(List<EnforcementRequest> requests) {
    EnforcementOutcome[] outcomes = new EnforcementOutcome[requests.size()];
    Map<Integer, Cidr> targets = targets(requests, outcomes);
    targets
        .keySet()
        .removeIf(
            i -> {
              if (!requests.get(i).extension()) {
                return false;
              }
              // The location holds no expiry: a later one for a range of ours needs no call.
              outcomes[i] = EnforcementOutcome.alreadyOurs(requests.get(i).indicator(), null);
              return true;
            });
    String id = locationId();
    change(requests, targets, outcomes, id, true);
    return Arrays.asList(outcomes);
  }

  @Override
  public List<EnforcementOutcome> remove(List<EnforcementRequest> requests) {
    EnforcementOutcome[] outcomes = new EnforcementOutcome[requests.size()];
    Map<Integer, Cidr> targets = targets(requests, outcomes);
    String id;
    try {
      id = locationId();
    } catch (ConfigurationException e) {
      targets.forEach(
          (i, range) ->
              outcomes[i] =
                  EnforcementOutcome.failed(requests.get(i).indicator(), e.getMessage(), null));
      return Arrays.asList(outcomes);
    }
    change(requests, targets, outcomes, id, false);
    return Arrays.asList(outcomes);
  }

  @Override
  public Readiness readiness() {
    if (!isConfigured()) {
      return Readiness.notConfigured(
          "Set "
              + GraphNamedLocations.LOCATION_SETTING
              + " to the id of an IP named location (and give the app an Azure identity) to block"
              + " sign-ins from addresses through Conditional Access");
    }
    return graphReadiness.get();
  }

  /** One read-modify-write under the lease for every target; each target's outcome from it. */
  private void change(
      List<EnforcementRequest> requests,
      Map<Integer, Cidr> targets,
      EnforcementOutcome[] outcomes,
      String id,
      boolean add) {
    if (targets.isEmpty()) {
      return;
    }
    List<Cidr> ranges = List.copyOf(new LinkedHashSet<>(targets.values()));
    // Ranges of a PATCH that was sent: when the lease is lost after it (answer lost, then the
    // fence failed before a retry), the run again finds them already changed, and they are ours.
    Set<Cidr> sent = ConcurrentHashMap.newKeySet();
    try {
      RangeChange change =
          lease
              .get()
              .runFenced(
                  leaseKey(id),
                  fence -> {
                    GraphNamedLocations.BeforeWrite guard =
                        changing -> {
                          fence.check();
                          sent.addAll(changing);
                        };
                    return add
                        ? locations.get().add(id, ranges, guard)
                        : locations.get().remove(id, ranges, guard);
                  });
      targets.forEach(
          (i, range) ->
              outcomes[i] =
                  change.changed().contains(range) || sent.contains(range)
                      ? EnforcementOutcome.done(requests.get(i).indicator(), id)
                      : unchanged(requests.get(i), id, add));
    } catch (PolicyRefusedException e) {
      targets.forEach(
          (i, range) ->
              outcomes[i] =
                  EnforcementOutcome.failed(
                      requests.get(i).indicator(),
                      e.getMessage()
                          + ": unblock or let expire some ranges first, or block fewer at once",
                      null));
    } catch (UpstreamException e) {
      Duration retryAfter = e.isRetryable() ? e.retryAfter().orElse(DEFAULT_RETRY_HINT) : null;
      targets.forEach(
          (i, range) ->
              outcomes[i] =
                  EnforcementOutcome.failed(
                      requests.get(i).indicator(),
                      "The named location was not changed: " + e.getMessage(),
                      retryAfter));
    }
  }

  /**
   * A range the location held already (add) or did not hold (remove). Graph keeps no author per
   * range, so the ledger is what says which ranges are the connector's: one the location held
   * before this claim is someone else's, unless the claim takes over one the connector abandoned
   * after its PATCH.
   */
  private static EnforcementOutcome unchanged(EnforcementRequest request, String id, boolean add) {
    if (!add) {
      return new EnforcementOutcome(request.indicator(), Status.NOT_FOUND, id, null, null);
    }
    if (request.recovering()) {
      return EnforcementOutcome.alreadyOurs(request.indicator(), id);
    }
    return EnforcementOutcome.notOurs(
        request.indicator(),
        id,
        null,
        "The named location held "
            + request.indicator().value()
            + " before the connector added it, so it is someone else's entry: left as it is, and"
            + " never removed by unblock or expiry");
  }

  /** The lease row of one location; ids are GUIDs, lower-cased so that two spellings share it. */
  static String leaseKey(String locationId) {
    return "namedlocation-" + locationId.toLowerCase(Locale.ROOT);
  }

  private String locationId() {
    return locationId
        .get()
        .orElseThrow(
            () ->
                new ConfigurationException(
                    GraphNamedLocations.LOCATION_SETTING,
                    "Setting "
                        + GraphNamedLocations.LOCATION_SETTING
                        + " is required for provider "
                        + ID));
  }

  /**
   * The range of each request the location can take, by request index; the others are answered
   * here.
   */
  private static Map<Integer, Cidr> targets(
      List<EnforcementRequest> requests, EnforcementOutcome[] outcomes) {
    Map<Integer, Cidr> targets = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      EnforcementRequest request = requests.get(i);
      IndicatorType type = request.indicator().type();
      Optional<Cidr> range = request.indicator().addresses();
      if (request.action() == Action.ALLOW) {
        outcomes[i] =
            EnforcementOutcome.unsupported(
                request.indicator(),
                "The named location feeds a Conditional Access block policy; allow entries are not"
                    + " supported");
      } else if ((type == IndicatorType.IP || type == IndicatorType.CIDR) && range.isPresent()) {
        targets.put(i, range.get());
      } else {
        outcomes[i] =
            EnforcementOutcome.unsupported(
                request.indicator(),
                "A Conditional Access named location holds IP"
                    + " addresses and networks, not a "
                    + type.wireName()
                    + ": use another enforcement point for it");
      }
    }
    return targets;
  }
}
