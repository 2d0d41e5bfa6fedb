package com.socactions.blocking;

import com.socactions.blocking.CriticalAssets.CriticalAsset;
import com.socactions.indicators.Cidr;
import com.socactions.indicators.DomainNames;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.IpAddresses;
import com.socactions.indicators.IpScope;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks every block passes before any upstream call: pure, in memory, one verdict per
 * indicator. Built once per worker process.
 *
 * <p>Checks, in this order, each refusing with its own {@link RefusalReason}:
 *
 * <ol>
 *   <li>{@code private_range}: an address, network or URL IP host that is (or overlaps) private,
 *       loopback, link-local, multicast, CGNAT, documentation, reserved or unspecified space;
 *   <li>{@code public_suffix}: a domain or URL host that is a public suffix or bare TLD;
 *   <li>{@code protected}: covered by {@code PROTECTED_INDICATORS} ({@link ProtectedIndicators});
 *   <li>{@code allow_listed}: covered by the {@link AllowList};
 *   <li>{@code justification_required}: {@code override_guardrails} without a justification;
 *   <li>{@code too_broad}: a network broader than /{@value #BROADEST_IPV4_PREFIX} (IPv4) or
 *       /{@value #BROADEST_IPV6_PREFIX} (IPv6);
 *   <li>{@code critical_asset}: a critical or high-value asset in the CMDB ({@link
 *       CriticalAssets}).
 * </ol>
 *
 * A justified override lifts only the last two, and the verdict lists what it lifted. The checks
 * that cannot be lifted come first, so an analyst is never told to justify something no
 * justification can allow. File hashes name no network location: only the protected, allow-list and
 * justification checks apply to them.
 */
public final class Guardrails {
  /** Broadest IPv4 network that may be blocked without an override, in prefix bits. */
  public static final int BROADEST_IPV4_PREFIX = 24;

  /** Broadest IPv6 network that may be blocked without an override, in prefix bits (one site). */
  public static final int BROADEST_IPV6_PREFIX = 48;

  private final ProtectedIndicators protectedIndicators;
  private final AllowList allowList;
  private final CriticalAssets criticalAssets;

  public Guardrails(
      ProtectedIndicators protectedIndicators, AllowList allowList, CriticalAssets criticalAssets) {
    if (protectedIndicators == null || allowList == null || criticalAssets == null) {
      throw new IllegalArgumentException(
          "'protectedIndicators', 'allowList' and 'criticalAssets' cannot be null.");
    }
    this.protectedIndicators = protectedIndicators;
    this.allowList = allowList;
    this.criticalAssets = criticalAssets;
  }

  /**
   * Guardrails with {@code PROTECTED_INDICATORS} from {@code settings}.
   *
   * @throws ConfigurationException when {@code PROTECTED_INDICATORS} holds a malformed entry
   */
  public static Guardrails fromSettings(
      Settings settings, AllowList allowList, CriticalAssets criticalAssets) {
    return new Guardrails(ProtectedIndicators.fromSettings(settings), allowList, criticalAssets);
  }

  /** The verdict on blocking {@code indicator}; never throws for any parsed indicator. */
  public Verdict check(Indicator indicator, GuardrailOverride override) {
    Optional<Verdict.Refused> absolute =
        privateRange(indicator)
            .or(() -> publicSuffix(indicator))
            .or(() -> protectedEntry(indicator))
            .or(() -> allowListed(indicator));
    if (absolute.isPresent()) {
      return absolute.get();
    }
    if (override.requested() && !override.isJustified()) {
      return new Verdict.Refused(
          RefusalReason.JUSTIFICATION_REQUIRED,
          "override_guardrails needs a justification: say why "
              + indicator.value()
              + " must be blocked despite the guardrails");
    }
    List<Verdict.Refused> liftable = new ArrayList<>();
    tooBroad(indicator).ifPresent(liftable::add);
    criticalAsset(indicator).ifPresent(liftable::add);
    if (liftable.isEmpty()) {
      return new Verdict.Allowed(List.of());
    }
    if (!override.isJustified()) {
      return liftable.get(0);
    }
    return new Verdict.Allowed(
        liftable.stream()
            .map(refused -> new Verdict.Lifted(refused.reason(), refused.message()))
            .toList());
  }

  private Optional<Verdict.Refused> privateRange(Indicator indicator) {
    Optional<Cidr> addresses = indicator.addresses();
    if (addresses.isEmpty()) {
      return Optional.empty();
    }
    Set<IpScope> scopes = IpAddresses.nonPublicScopesIn(addresses.get());
    if (scopes.isEmpty()) {
      return Optional.empty();
    }
    String what = scopes.stream().map(IpScope::description).collect(Collectors.joining(", "));
    String subject =
        subject(
            indicator,
            indicator.type() == IndicatorType.URL
                ? indicator.host().orElseThrow()
                : indicator.value());
    String sentence =
        indicator.type() == IndicatorType.CIDR
            ? subject + " includes " + what + " addresses"
            : subject
                + " is "
                + ("aeiou".indexOf(what.charAt(0)) >= 0 ? "an " : "a ")
                + what
                + " address";
    return refuse(
        RefusalReason.PRIVATE_RANGE,
        sentence
            + ": blocking it would cut off your own or shared infrastructure, and no override"
            + " allows it");
  }

  private Optional<Verdict.Refused> publicSuffix(Indicator indicator) {
    Optional<String> host = indicator.host();
    if (host.isEmpty() || !DomainNames.isPublicSuffix(host.get())) {
      return Optional.empty();
    }
    return refuse(
        RefusalReason.PUBLIC_SUFFIX,
        subject(indicator, host.get())
            + " is a public suffix: blocking it would block every domain registered under it, and"
            + " no override allows it");
  }

  private Optional<Verdict.Refused> protectedEntry(Indicator indicator) {
    return protectedIndicators
        .protecting(indicator)
        .flatMap(
            entry ->
                refuse(
                    RefusalReason.PROTECTED,
                    indicator.value()
                        + " is protected by the "
                        + ProtectedIndicators.SETTING
                        + " entry "
                        + entry
                        + " and cannot be blocked"));
  }

  private Optional<Verdict.Refused> allowListed(Indicator indicator) {
    if (!allowList.covers(indicator)) {
      return Optional.empty();
    }
    return refuse(
        RefusalReason.ALLOW_LISTED,
        indicator.value() + " is on the allow list and cannot be blocked while it is there");
  }

  private Optional<Verdict.Refused> tooBroad(Indicator indicator) {
    if (indicator.type() != IndicatorType.CIDR) {
      return Optional.empty();
    }
    Cidr network = indicator.addresses().orElseThrow();
    int broadest = network.isIpv4() ? BROADEST_IPV4_PREFIX : BROADEST_IPV6_PREFIX;
    if (network.prefixLength() >= broadest) {
      return Optional.empty();
    }
    int hostBits = network.bits() - network.prefixLength();
    String count =
        network.isIpv4()
            ? BigInteger.ONE.shiftLeft(hostBits) + " addresses"
            : "2^" + hostBits + " addresses";
    return refuse(
        RefusalReason.TOO_BROAD,
        network
            + " is broader than /"
            + broadest
            + " ("
            + count
            + "): block a narrower network, or override with a justification");
  }

  private Optional<Verdict.Refused> criticalAsset(Indicator indicator) {
    if (indicator.type().isHash()) {
      return Optional.empty();
    }
    Optional<CriticalAsset> asset = criticalAssets.find(indicator);
    return asset.flatMap(
        found ->
            refuse(
                RefusalReason.CRITICAL_ASSET,
                indicator.value()
                    + " is the critical asset "
                    + found.name()
                    + " in the CMDB ("
                    + found.why()
                    + "): override with a justification to block it"));
  }

  /** "10.0.0.1", or "the URL's host 10.0.0.1". */
  private static String subject(Indicator indicator, String host) {
    return indicator.type() == IndicatorType.URL ? "the URL's host " + host : host;
  }

  private static Optional<Verdict.Refused> refuse(RefusalReason reason, String message) {
    return Optional.of(new Verdict.Refused(reason, message));
  }
}
