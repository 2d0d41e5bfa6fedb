package com.socactions.blocking;

import com.socactions.platform.Settings;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code BLOCK_PROVIDERS}: the enforcement points an administrator chose to use (comma or space
 * separated, any case), and {@code BLOCK_DEFAULT_PROVIDER}, parsed once. Providers that need no
 * setting of their own (the built-in list, Defender with the app's identity) are in use only when
 * listed here.
 *
 * @param enabled the listed provider ids, lower case
 * @param defaultProvider the provider a call without {@code provider} uses
 */
public record BlockProviders(Set<String> enabled, String defaultProvider) {
  public static final String SETTING = "BLOCK_PROVIDERS";
  public static final String DEFAULT_SETTING = "BLOCK_DEFAULT_PROVIDER";

  /** The built-in list needs nothing outside the app, so it is the embedded default. */
  public static final String DEFAULT = "edl";

  public BlockProviders {
    enabled = Set.copyOf(enabled);
  }

  /** What {@value #SETTING} and {@value #DEFAULT_SETTING} say; {@value #DEFAULT} when unset. */
  public static BlockProviders from(Settings settings) {
    return new BlockProviders(
        Arrays.stream(settings.get(SETTING, DEFAULT).split("[,;\\s]+"))
            .filter(id -> !id.isBlank())
            .map(id -> id.toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet()),
        settings.get(DEFAULT_SETTING, DEFAULT));
  }

  /** Whether {@code id} is listed (any case). */
  public boolean isEnabled(String id) {
    return enabled.contains(id.toLowerCase(Locale.ROOT));
  }
}
