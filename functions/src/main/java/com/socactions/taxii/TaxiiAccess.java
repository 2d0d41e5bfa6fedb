package com.socactions.taxii;

import com.socactions.platform.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Who may read the TAXII server: HTTP Basic authentication with the user and password of settings
 * {@value #USER_SETTING} and {@value #PASSWORD_SETTING}, as Sentinel's "Threat intelligence -
 * TAXII" data connector sends them. Off (nobody may read, and the server answers 404) unless both
 * are set.
 *
 * <p>Every check takes the same path: the presented user and password (empty when the header is
 * missing or malformed) are hashed with SHA-256 and both digests are compared with the expected
 * ones by {@link MessageDigest#isEqual}, whose time does not depend on where they differ; neither
 * comparison is skipped when the other failed. So neither the length of the secrets nor which part
 * was wrong shows in the time an answer takes.
 */
public final class TaxiiAccess {
  public static final String USER_SETTING = "TAXII_USER";
  public static final String PASSWORD_SETTING = "TAXII_PASSWORD";

  /** The realm of the {@code WWW-Authenticate} challenge. */
  public static final String REALM = "SOC Actions TAXII";

  /** The challenge sent with a 401. */
  public static final String CHALLENGE = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";

  private final byte[] userDigest;
  private final byte[] passwordDigest;
  private final BiPredicate<byte[], byte[]> equal;

  /** From the settings; off when either is unset. */
  public static TaxiiAccess fromSettings(Settings settings) {
    return new TaxiiAccess(
        settings.get(USER_SETTING), settings.get(PASSWORD_SETTING), MessageDigest::isEqual);
  }

  /** With another comparison of digests (tests record what is compared). */
  TaxiiAccess(Optional<String> user, Optional<String> password, BiPredicate<byte[], byte[]> equal) {
    boolean on = user.isPresent() && password.isPresent();
    this.userDigest = on ? sha256(user.get()) : null;
    this.passwordDigest = on ? sha256(password.get()) : null;
    this.equal = equal;
  }

  /** Whether the server is on: both settings are set. */
  public boolean isEnabled() {
    return userDigest != null;
  }

  /**
   * Whether an {@code Authorization} header (null: none) carries the configured user and password
   * as HTTP Basic credentials. False when the server is off.
   */
  public boolean permits(String authorization) {
    if (!isEnabled()) {
      return false;
    }
    String[] presented = credentials(authorization);
    boolean wellFormed = presented != null;
    String user = wellFormed ? presented[0] : "";
    String password = wellFormed ? presented[1] : "";
    // Both comparisons always run ('&', not '&&'): which part was wrong must not show in the time.
    boolean userMatches = equal.test(sha256(user), userDigest);
    boolean passwordMatches = equal.test(sha256(password), passwordDigest);
    return wellFormed & userMatches & passwordMatches;
  }

  /** The user and password of a Basic {@code Authorization} header, or null. */
  private static String[] credentials(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.trim();
    if (value.length() < 6 || !value.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0
        ? null
        : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
