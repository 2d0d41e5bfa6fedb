package com.socactions.blocking;

import com.socactions.platform.Settings;
import java.util.Arrays;

/**
 * {@code BLOCK_PROVIDERS}: the enforcement points an administrator chose to use (comma or space
 * separated, any case). Providers that need no setting of their own (the built-in list, Defender
 * with the app's identity) are in use only when listed here.
 */
public final class BlockProviders {
  public static final String SETTING = "BLOCK_PROVIDERS";
  public static final String DEFAULT_SETTING = "BLOCK_DEFAULT_PROVIDER";

  /** The built-in list needs nothing outside the app, so it is the embedded default. */
  public static final String DEFAULT = "edl";

  private BlockProviders() {}

  public static boolean isEnabled(Settings settings, String id) {
    return Arrays.stream(settings.get(SETTING, DEFAULT).split("[,;\\s]+"))
        .anyMatch(id::equalsIgnoreCase);
  }

  /** The provider a call without {@code provider} uses. */
  public static String defaultProvider(Settings settings) {
    return settings.get(DEFAULT_SETTING, DEFAULT);
  }
}
