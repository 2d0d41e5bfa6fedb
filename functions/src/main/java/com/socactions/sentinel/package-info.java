/**
 * Microsoft Sentinel, shared by incident enrichment, ticket sync, identity response and content:
 *
 * <ul>
 *   <li>the incident as this connector reads it: {@link com.socactions.sentinel.Incident} and its
 *       {@link com.socactions.sentinel.IncidentEntity entities}, parsed by {@link
 *       com.socactions.sentinel.Incidents} from the Logic Apps incident trigger body, its {@code
 *       object}, or the incident resource of the REST API;
 *   <li>the REST API: {@link com.socactions.sentinel.SentinelClient} on incidents' raw JSON with
 *       etags, {@link com.socactions.sentinel.ArmIncidentId} for the ids playbooks pass, and the
 *       health provider {@link com.socactions.sentinel.SentinelProvider}, wired by {@link
 *       com.socactions.sentinel.SentinelModule}.
 * </ul>
 */
package com.socactions.sentinel;
