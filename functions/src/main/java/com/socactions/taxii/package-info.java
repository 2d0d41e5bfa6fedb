/**
 * The block ledger as a TAXII 2.1 server: discovery, one API root, one read-only collection per
 * enforcement point plus one of every provider's blocks, each block a STIX 2.1 {@code indicator}
 * (revoked when it is lifted or expires). What Microsoft Sentinel's "Threat intelligence - TAXII"
 * data connector polls. Pages are served from the ledger's publication index ({@link
 * com.socactions.ledger.BlockLedger#published}), so a page costs one range query whatever the
 * ledger's size. HTTP Basic authentication with {@code TAXII_USER} and {@code TAXII_PASSWORD}; the
 * whole server answers 404 while they are unset.
 */
package com.socactions.taxii;
