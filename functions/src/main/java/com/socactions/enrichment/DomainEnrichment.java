package com.socactions.enrichment;

import java.time.Instant;
import java.util.List;

/**
 * The registration of one domain of a batch, looked up for its registrable domain (the name right
 * under its public suffix: {@code login.evil.co.uk} is looked up as {@code evil.co.uk}).
 *
 * @param ageDays whole days since registration, null when the registry gives no date
 * @param newlyRegistered registered fewer than 30 days ago: a strong phishing signal
 * @param status the registry's EPP status values
 */
public record DomainEnrichment(
    String domain,
    String input,
    String registrableDomain,
    LookupStatus lookupStatus,
    String registrar,
    Instant registered,
    Instant expires,
    Instant lastChanged,
    Long ageDays,
    Boolean newlyRegistered,
    List<String> status,
    List<String> nameservers,
    Boolean dnssec,
    String abuseEmail,
    String rdapUrl,
    List<String> errors) {}
