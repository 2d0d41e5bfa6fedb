/**
 * The Microsoft Sentinel incident as this connector reads it: {@link com.socactions.sentinel.Incident}
 * and its {@link com.socactions.sentinel.IncidentEntity entities}, parsed by
 * {@link com.socactions.sentinel.Incidents} from the Logic Apps incident trigger body, its
 * {@code object}, or the incident resource of the Sentinel REST API. Shared by incident enrichment
 * and ticket sync.
 */
package com.socactions.sentinel;
