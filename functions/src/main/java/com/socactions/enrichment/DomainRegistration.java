package com.socactions.enrichment;

import java.time.Instant;
import java.util.List;

/**
 * A domain's registration, reduced from an RDAP (RFC 9083) {@code domain} object.
 *
 * @param domain the registrable domain that was looked up, lower case (e.g. {@code example.co.uk})
 * @param registrar name of the entity with role {@code registrar} (vCard {@code fn})
 * @param registered the {@code registration} event
 * @param expires the {@code expiration} event
 * @param lastChanged the {@code last changed} event
 * @param status the EPP status values (e.g. {@code client transfer prohibited})
 * @param nameservers name server host names, lower case, without trailing dot
 * @param dnssec {@code secureDNS.delegationSigned}, null when the registry does not say
 * @param abuseEmail e-mail of the {@code abuse} entity (often nested under the registrar)
 * @param rdapUrl the URL of the answer
 */
public record DomainRegistration(
    String domain,
    String registrar,
    Instant registered,
    Instant expires,
    Instant lastChanged,
    List<String> status,
    List<String> nameservers,
    Boolean dnssec,
    String abuseEmail,
    String rdapUrl) {}
