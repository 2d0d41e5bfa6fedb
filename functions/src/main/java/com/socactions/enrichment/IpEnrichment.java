package com.socactions.enrichment;

import java.util.List;

/**
 * Everything known about one address of a batch.
 *
 * @param ip the address in canonical form (IPv4-mapped IPv6 is given as IPv4); the input as sent
 *     when invalid
 * @param input the item exactly as the caller sent it
 * @param lookupStatus ok, partial, failed, invalid or skipped
 * @param scope public, private, loopback, link_local, cgnat, multicast, documentation, reserved,
 *     unspecified
 * @param geo null when not requested, not found, or not public
 * @param asn null when not requested, not found, not configured, or not public
 * @param whois null when not requested, failed, or not public
 * @param errors one sentence per lookup that did not answer
 */
public record IpEnrichment(
    String ip,
    String input,
    LookupStatus lookupStatus,
    String scope,
    GeoLocation geo,
    AutonomousSystem asn,
    WhoisNetwork whois,
    List<String> errors) {}
