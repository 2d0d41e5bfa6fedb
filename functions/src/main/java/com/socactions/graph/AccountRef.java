package com.socactions.graph;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An account as an incident's Account entity or a playbook gives it, sorted into what Entra ID can
 * be asked about: an object id ({@code aadUserId}), a UPN (also {@code name} + {@code upnSuffix}),
 * or a form it cannot resolve ({@code DOMAIN\name}, an on-premises SID, a bare name). Parsing never
 * throws: each problem is the account's {@link Kind} and {@code problem}.
 *
 * @param input the account as given, for the caller's answer
 * @param kind what it is
 * @param value the object id or UPN to look up (trimmed); null unless {@code kind} is one of those
 * @param problem why it cannot be looked up; null when it can
 */
public record AccountRef(String input, Kind kind, String value, String problem) {
  /** Entra ID's limit on a UPN: 64 characters before the {@code @}, 113 in all. */
  public static final int MAX_UPN_LENGTH = 113;

  public static final int MAX_UPN_PREFIX_LENGTH = 64;

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern SID = Pattern.compile("(?i)S-1-[0-9]+(-[0-9]+)+");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

  /** What an account string is. */
  public enum Kind {
    OBJECT_ID,
    UPN,
    UNSUPPORTED,
    INVALID
  }

  /** Whether Graph can be asked about it. */
  public boolean resolvable() {
    return kind == Kind.OBJECT_ID || kind == Kind.UPN;
  }

  /** The key under which two spellings of one account are one lookup (ids and UPNs ignore case). */
  String key() {
    return kind + ":" + value.toLowerCase(Locale.ROOT);
  }

  /** An account string: an object id, a UPN, {@code DOMAIN\name}, a SID or anything else. */
  public static AccountRef parse(String text) {
    if (text == null || text.isBlank()) {
      return new AccountRef(text, Kind.INVALID, null, "the account is empty");
    }
    String value = text.strip();
    if (value.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
      return new AccountRef(text, Kind.INVALID, null, "the account holds control characters");
    }
    if (GUID.matcher(value).matches()) {
      return new AccountRef(text, Kind.OBJECT_ID, value.toLowerCase(Locale.ROOT), null);
    }
    if (SID.matcher(value).matches()) {
      return new AccountRef(
          text,
          Kind.UNSUPPORTED,
          null,
          "an on-premises SID cannot be looked up in Entra ID; pass the UPN or the object id");
    }
    if (value.indexOf('\\') >= 0) {
      return new AccountRef(
          text,
          Kind.UNSUPPORTED,
          null,
          "DOMAIN\\name cannot be looked up in Entra ID; pass the UPN or the object id");
    }
    int at = value.lastIndexOf('@');
    if (at < 0) {
      return new AccountRef(
          text,
          Kind.UNSUPPORTED,
          null,
          "a name without a UPN suffix cannot be looked up in Entra ID; pass the UPN or the object"
              + " id");
    }
    return upn(text, value, at);
  }

  /**
   * The account of an incident entity's fields, best first: {@code aadUserId}, then {@code name}
   * with {@code upnSuffix} (or a {@code name} that is a UPN already); {@code ntDomain} with {@code
   * name}, or {@code sid}, are unsupported.
   */
  public static AccountRef fromEntity(
      String aadUserId, String name, String upnSuffix, String ntDomain, String sid) {
    if (present(aadUserId)) {
      return parse(aadUserId);
    }
    if (present(name) && present(upnSuffix) && name.indexOf('@') < 0) {
      return parse(name.strip() + "@" + upnSuffix.strip());
    }
    if (present(name) && name.indexOf('@') >= 0) {
      return parse(name);
    }
    if (present(name) && present(ntDomain)) {
      return parse(ntDomain.strip() + "\\" + name.strip());
    }
    if (present(sid)) {
      return parse(sid);
    }
    return parse(name);
  }

  private static AccountRef upn(String text, String value, int at) {
    String prefix = value.substring(0, at);
    String domain = value.substring(at + 1);
    if (value.length() > MAX_UPN_LENGTH || prefix.length() > MAX_UPN_PREFIX_LENGTH) {
      return new AccountRef(
          text,
          Kind.INVALID,
          null,
          "longer than a UPN can be ("
              + MAX_UPN_PREFIX_LENGTH
              + " characters before the @, "
              + MAX_UPN_LENGTH
              + " in all)");
    }
    if (prefix.isEmpty() || prefix.chars().anyMatch(Character::isWhitespace)) {
      return new AccountRef(
          text, Kind.INVALID, null, "not a UPN: the part before the @ is empty or holds spaces");
    }
    if (!DOMAIN.matcher(domain).matches()) {
      return new AccountRef(
          text, Kind.INVALID, null, "not a UPN: the part after the @ is not a domain name");
    }
    return new AccountRef(text, Kind.UPN, value, null);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
