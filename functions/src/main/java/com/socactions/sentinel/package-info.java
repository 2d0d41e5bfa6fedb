/**
 * The Microsoft Sentinel REST API, shared by ticket sync, identity response and content:
 * {@link com.socactions.sentinel.SentinelClient} on incidents' raw JSON with etags,
 * {@link com.socactions.sentinel.ArmIncidentId} for the ids playbooks pass, and the health
 * provider {@link com.socactions.sentinel.SentinelProvider}, wired by
 * {@link com.socactions.sentinel.SentinelModule}.
 */
package com.socactions.sentinel;
