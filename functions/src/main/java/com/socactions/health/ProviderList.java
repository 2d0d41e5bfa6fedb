package com.socactions.health;

import java.util.List;

/**
 * The answer of {@code ListProviders}: {@code value[]}, the shape {@code x-ms-dynamic-values}
 * reads.
 */
public record ProviderList(List<ProviderInfo> value) {}
