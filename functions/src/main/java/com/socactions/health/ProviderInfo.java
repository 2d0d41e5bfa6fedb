package com.socactions.health;

import java.util.List;

/**
 * A provider of an action capability, as {@code ListProviders} lists it for the designer's
 * dropdowns ({@code x-ms-dynamic-values}: {@code value[].id} and {@code value[].display_name}).
 *
 * @param capabilities {@code enrich}, {@code block}, {@code cmdb}, {@code tickets}
 * @param configured its settings are present
 */
public record ProviderInfo(String id, String displayName, List<String> capabilities, boolean configured, String description) {}
