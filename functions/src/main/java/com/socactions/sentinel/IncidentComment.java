package com.socactions.sentinel;

import java.time.Instant;

/**
 * One comment on a Sentinel incident.
 *
 * @param id the comment's stable id (its resource name), so each is copied once
 * @param message the text (Sentinel comments may hold HTML)
 * @param author who wrote it (e-mail, name or app), or null
 * @param createdAt when, or null
 */
public record IncidentComment(String id, String message, String author, Instant createdAt) {}
