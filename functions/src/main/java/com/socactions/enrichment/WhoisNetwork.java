package com.socactions.enrichment;

import java.time.Instant;

/**
 * The registration of the network an address belongs to, reduced from an RDAP (RFC 9083) {@code ip
 * network} object to what an analyst reads.
 *
 * @param network CIDR(s) of the registration, comma-separated when the range is not one prefix
 * @param name the network's name (e.g. {@code APNIC-LABS})
 * @param handle the registry's handle for the network
 * @param registry the RIR that answered: ARIN, RIPE NCC, APNIC, LACNIC, AFRINIC (or the server
 *     host)
 * @param country ISO country code the registration gives, if any
 * @param abuseEmail e-mail of the entity with role {@code abuse}, from its vCard
 * @param registered the {@code registration} event
 * @param lastChanged the {@code last changed} event
 * @param rdapUrl the URL of the answer (the {@code self} link, else the URL queried)
 */
public record WhoisNetwork(
    String network,
    String name,
    String handle,
    String registry,
    String country,
    String abuseEmail,
    Instant registered,
    Instant lastChanged,
    String rdapUrl) {}
