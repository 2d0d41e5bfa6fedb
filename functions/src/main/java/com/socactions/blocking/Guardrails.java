package com.socactions.blocking;

import com.socactions.cmdb.CriticalAssets;
import com.socactions.cmdb.CriticalAssets.CriticalAsset;
import com.socactions.indicators.Cidr;
import com.socactions.indicators.DomainNames;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.IpAddresses;
import com.socactions.indicators.IpScope;
import com.socactions.ledger.AllowList;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The checks every block and allow passes before any upstream call: pure, in memory, one verdict
 * per indicator. Built once per call (the CMDB's answers are per batch).
 *
 * <p>Checks on a block ({@link #check}), in this order, each refusing with its own {@link
 * RefusalReason}:
 *
 * <ol>
 *   <li>{@code private_range}: an address, network or URL IP host that is (or overlaps) private,
 *       loopback, link-local, multicast, CGNAT, documentation, reserved or unspecified space, also
 *       when it is embedded in an IPv6 transition address (6to4, Teredo, NAT64: {@link
 *       IpAddresses#embeddedIpv4});
 *   <li>{@code internal_name}: a domain or URL host that is an internal or special-use name ({@link
 *       DomainNames#internalName}: under no public suffix, {@code localhost}, {@code test}, {@code
 *       invalid}, {@code local}, {@code home.arpa}, {@code internal}, ...);
 *   <li>{@code public_suffix}: a domain or URL host that is a public suffix or bare TLD;
 *   <li>{@code too_broad_to_override}: a network broader than /{@value
 *       #OVERRIDE_CEILING_IPV4_PREFIX} (IPv4) or /{@value #OVERRIDE_CEILING_IPV6_PREFIX} (IPv6),
 *       which no justification lifts;
 *   <li>{@code protected}: covered by {@code PROTECTED_INDICATORS} ({@link ProtectedIndicators});
 *   <li>{@code allow_listed}: covered by the {@link AllowList};
 *   <li>{@code justification_required}: {@code override_guardrails} without a justification;
 *   <li>{@code too_broad}: a network broader than /{@value #BROADEST_IPV4_PREFIX} (IPv4) or
 *       /{@value #BROADEST_IPV6_PREFIX} (IPv6);
 *   <li>{@code critical_asset}: a critical or high-value asset in the CMDB ({@link
 *       CriticalAssets}): the address or host itself, a network that holds one of its addresses, or
 *       a domain that is a parent of its name.
 * </ol>
 *
 * A justified override lifts only the last two, and the verdict lists what it lifted. The checks
 * that cannot be lifted come first, so an analyst is never told to justify something no
 * justification can allow. File hashes name no network location: only the protected, allow-list and
 * justification checks apply to them.
 *
 * <p>Allows have their own checks ({@link #checkAllow}).
 */
public final class Guardrails {
  /** Broadest IPv4 network that may be blocked without an override, in prefix bits. */
  public static final int BROADEST_IPV4_PREFIX = 24;

  /** Broadest IPv6 network that may be blocked without an override, in prefix bits (one site). */
  public static final int BROADEST_IPV6_PREFIX = 48;

  /**
   * Broadest IPv4 network that may be blocked at all, with a justified override, in prefix bits:
   * 65,536 addresses, a large organisation's whole allocation.
   */
  public static final int OVERRIDE_CEILING_IPV4_PREFIX = 16;

  /**
   * Broadest IPv6 network that may be blocked at all, with a justified override, in prefix bits: a
   * whole ISP allocation (RIRs allocate /32 to LIRs).
   */
  public static final int OVERRIDE_CEILING_IPV6_PREFIX = 32;

  /** Broadest IPv4 network that may be allowed without an override, in prefix bits. */
  public static final int ALLOW_BROADEST_IPV4_PREFIX = 16;

  /** Broadest IPv6 network that may be allowed without an override, in prefix bits. */
  public static final int ALLOW_BROADEST_IPV6_PREFIX = 32;

  /**
   * Broadest IPv4 network that may be allowed at all, with a justified override, in prefix bits: a
   * /8 is a whole former class A (a cloud provider's block); anything broader is a typo or a
   * wildcard, not an exception.
   */
  public static final int ALLOW_CEILING_IPV4_PREFIX = 8;

  /**
   * Broadest IPv6 network that may be allowed at all, with a justified override, in prefix bits.
   */
  public static final int ALLOW_CEILING_IPV6_PREFIX = 16;

  /** What a check is about: the words of its sentences and its breadth limits. */
  private enum Purpose {
    BLOCK(
        "block",
        BROADEST_IPV4_PREFIX,
        BROADEST_IPV6_PREFIX,
        OVERRIDE_CEILING_IPV4_PREFIX,
        OVERRIDE_CEILING_IPV6_PREFIX),
    ALLOW(
        "allow",
        ALLOW_BROADEST_IPV4_PREFIX,
        ALLOW_BROADEST_IPV6_PREFIX,
        ALLOW_CEILING_IPV4_PREFIX,
        ALLOW_CEILING_IPV6_PREFIX);

    final String verb;
    final int broadestIpv4;
    final int broadestIpv6;
    final int ceilingIpv4;
    final int ceilingIpv6;

    Purpose(String verb, int broadestIpv4, int broadestIpv6, int ceilingIpv4, int ceilingIpv6) {
      this.verb = verb;
      this.broadestIpv4 = broadestIpv4;
      this.broadestIpv6 = broadestIpv6;
      this.ceilingIpv4 = ceilingIpv4;
      this.ceilingIpv6 = ceilingIpv6;
    }

    int broadest(Cidr network) {
      return network.isIpv4() ? broadestIpv4 : broadestIpv6;
    }

    int ceiling(Cidr network) {
      return network.isIpv4() ? ceilingIpv4 : ceilingIpv6;
    }

    /** The end of a refusal of what is not on the internet ({@code things}: addresses, names). */
    String never(String things) {
      return (this == BLOCK
              ? ": blocking it would cut off your own or shared infrastructure, or nothing at all"
              : ": the connector never blocks such "
                  + things
                  + ", so there is nothing to allow, and allow lists hold only the internet's")
          + "; no override allows it";
    }
  }

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

  /** The verdict on blocking {@code indicator}; never throws for any parsed indicator. */
  public Verdict check(Indicator indicator, GuardrailOverride override) {
    Optional<Verdict.Refused> absolute =
        intrinsic(indicator, Purpose.BLOCK)
            .or(() -> protectedEntry(indicator))
            .or(() -> allowListed(indicator));
    return decide(
        indicator,
        override,
        Purpose.BLOCK,
        absolute,
        () ->
            Stream.of(tooBroad(indicator, Purpose.BLOCK), criticalAsset(indicator))
                .flatMap(Optional::stream)
                .toList());
  }

  /**
   * The verdict on allowing {@code indicator} (AllowIndicators): an allow entry outlives every
   * later block of what it covers (no override lifts {@code allow_listed}) and is served to
   * firewalls on the allow feeds, so one careless allow can switch blocking off. Checks, in order:
   *
   * <ol>
   *   <li>{@code private_range} and {@code internal_name}, as for blocks: the connector never
   *       blocks such addresses and names, so an allow of them protects nothing, and on a
   *       firewall's allow list or as a Defender "Allowed" indicator it could only exempt internal
   *       traffic from inspection; a SOC engineer who sends one has most likely picked the wrong
   *       entity of the incident, and is told so;
   *   <li>{@code public_suffix}: allowing {@code com} or {@code co.uk} would allow every domain
   *       under it;
   *   <li>{@code too_broad_to_override}: a network broader than /{@value
   *       #ALLOW_CEILING_IPV4_PREFIX} (IPv4) or /{@value #ALLOW_CEILING_IPV6_PREFIX} (IPv6);
   *   <li>{@code justification_required}: {@code override_guardrails} without a justification;
   *   <li>{@code too_broad}, lifted by a justified override: a network broader than /{@value
   *       #ALLOW_BROADEST_IPV4_PREFIX} (IPv4) or /{@value #ALLOW_BROADEST_IPV6_PREFIX} (IPv6).
   * </ol>
   *
   * The protected list, the allow list itself and the CMDB do not apply: allowing a protected or
   * critical indicator is what they ask for anyway. File hashes meet only the justification rule.
   * Pure and static: it reads no list, so it may run before the ledger is opened.
   */
  public static Verdict checkAllow(Indicator indicator, GuardrailOverride override) {
    return decide(
        indicator,
        override,
        Purpose.ALLOW,
        intrinsic(indicator, Purpose.ALLOW),
        () -> tooBroad(indicator, Purpose.ALLOW).stream().toList());
  }

  /** The checks that depend on the indicator alone and that no override lifts. */
  private static Optional<Verdict.Refused> intrinsic(Indicator indicator, Purpose purpose) {
    return privateRange(indicator, purpose)
        .or(() -> internalName(indicator, purpose))
        .or(() -> publicSuffix(indicator, purpose))
        .or(() -> tooBroadToOverride(indicator, purpose));
  }

  /**
   * The absolute refusal if there is one; else the justification rule; else the liftable checks,
   * refusing with the first or lifting them all with a justified override.
   */
  private static Verdict decide(
      Indicator indicator,
      GuardrailOverride override,
      Purpose purpose,
      Optional<Verdict.Refused> absolute,
      Supplier<List<Verdict.Refused>> liftableChecks) {
    if (absolute.isPresent()) {
      return absolute.get();
    }
    if (override.requested() && !override.isJustified()) {
      return new Verdict.Refused(
          RefusalReason.JUSTIFICATION_REQUIRED,
          "override_guardrails needs a justification: say why "
              + indicator.value()
              + " must be "
              + purpose.verb
              + "ed despite the guardrails");
    }
    List<Verdict.Refused> liftable = liftableChecks.get();
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

  private static Optional<Verdict.Refused> privateRange(Indicator indicator, Purpose purpose) {
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
    List<String> embedded =
        IpAddresses.embeddedIpv4(addresses.get()).stream()
            .filter(inside -> !IpAddresses.nonPublicScopesIn(inside.ipv4()).isEmpty())
            .map(IpAddresses.Embedded::describe)
            .toList();
    if (!embedded.isEmpty()) {
      sentence += " (" + String.join(", ", embedded) + ")";
    }
    return refuse(RefusalReason.PRIVATE_RANGE, sentence + purpose.never("addresses"));
  }

  private static Optional<Verdict.Refused> internalName(Indicator indicator, Purpose purpose) {
    Optional<String> host = indicator.host();
    Optional<String> why = host.flatMap(DomainNames::internalName);
    if (why.isEmpty()) {
      return Optional.empty();
    }
    return refuse(
        RefusalReason.INTERNAL_NAME,
        subject(indicator, host.get())
            + " is an internal or special-use name ("
            + why.get()
            + ")"
            + purpose.never("names"));
  }

  private static Optional<Verdict.Refused> publicSuffix(Indicator indicator, Purpose purpose) {
    Optional<String> host = indicator.host();
    if (host.isEmpty() || !DomainNames.isPublicSuffix(host.get())) {
      return Optional.empty();
    }
    return refuse(
        RefusalReason.PUBLIC_SUFFIX,
        subject(indicator, host.get())
            + " is a public suffix: "
            + purpose.verb
            + "ing it would "
            + purpose.verb
            + " every domain registered under it, and no override allows it");
  }

  private static Optional<Verdict.Refused> tooBroadToOverride(
      Indicator indicator, Purpose purpose) {
    return broaderThan(
        indicator,
        purpose::ceiling,
        RefusalReason.TOO_BROAD_TO_OVERRIDE,
        network ->
            "no override "
                + purpose.verb
                + "s a network this broad; "
                + purpose.verb
                + " narrower networks");
  }

  private static Optional<Verdict.Refused> tooBroad(Indicator indicator, Purpose purpose) {
    return broaderThan(
        indicator,
        purpose::broadest,
        RefusalReason.TOO_BROAD,
        network ->
            purpose.verb
                + " a narrower network, or override with a justification (down to /"
                + purpose.ceiling(network)
                + ")");
  }

  /**
   * Refuses a network broader than {@code limit} bits with "{network} is broader than /{limit}
   * ({size}): {advice}".
   */
  private static Optional<Verdict.Refused> broaderThan(
      Indicator indicator,
      ToIntFunction<Cidr> limit,
      RefusalReason reason,
      Function<Cidr, String> advice) {
    Optional<Cidr> network = network(indicator);
    if (network.isEmpty() || network.get().prefixLength() >= limit.applyAsInt(network.get())) {
      return Optional.empty();
    }
    return refuse(
        reason,
        network.get()
            + " is broader than /"
            + limit.applyAsInt(network.get())
            + " ("
            + size(network.get())
            + "): "
            + advice.apply(network.get()));
  }

  private static Optional<Cidr> network(Indicator indicator) {
    return indicator.type() == IndicatorType.CIDR ? indicator.addresses() : Optional.empty();
  }

  /** "512 addresses", or "2^80 addresses" where the count would be unreadable. */
  private static String size(Cidr network) {
    int hostBits = network.bits() - network.prefixLength();
    return network.isIpv4()
        ? BigInteger.ONE.shiftLeft(hostBits) + " addresses"
        : "2^" + hostBits + " addresses";
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

  private Optional<Verdict.Refused> criticalAsset(Indicator indicator) {
    if (indicator.type().isHash()) {
      return Optional.empty();
    }
    Optional<CriticalAsset> asset = criticalAssets.find(indicator);
    return asset.flatMap(
        found ->
            refuse(
                RefusalReason.CRITICAL_ASSET,
                (found.covered() == null
                        ? indicator.value() + " is the critical asset " + found.name()
                        : "blocking "
                            + indicator.value()
                            + " would also block the critical asset "
                            + found.name()
                            + " ("
                            + found.covered()
                            + ")")
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
