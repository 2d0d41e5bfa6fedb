package com.socactions.identity;

import com.socactions.cmdb.AccountResult;
import com.socactions.cmdb.CmdbService;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The VIP guardrail's source: which UPNs the CMDB marks VIP, asked once per call. Fails closed: a
 * UPN the CMDB could not answer for is a {@linkplain Finding#unknown() possible VIP}, with why.
 */
public interface VipAccounts {
  /** No CMDB: nobody is a VIP. */
  VipAccounts NONE = upns -> Map.of();

  /**
   * Why an account is treated as a VIP: the CMDB marks it ({@code unknown} false; a justified
   * override lifts that), or the CMDB could not say ({@code unknown} true; nothing lifts that).
   *
   * @param reason a sentence about the account, e.g. {@code a VIP in the CMDB (CEO)}
   */
  record Finding(String reason, boolean unknown) {
    public static Finding vip(String reason) {
      return new Finding(reason, false);
    }

    public static Finding unknown(String reason) {
      return new Finding(reason, true);
    }
  }

  /**
   * The UPNs (lower case) that must be treated as VIPs, each with its finding; UPNs not in the map
   * are not VIPs. Never throws: a CMDB failure makes every UPN an unknown.
   */
  Map<String, Finding> vips(List<String> upns);

  /** The default CMDB provider's {@code LookupAccounts}. */
  static VipAccounts of(CmdbService cmdb) {
    return upns -> {
      Map<String, Finding> vips = new HashMap<>();
      if (upns.isEmpty()) {
        return vips;
      }
      try {
        for (AccountResult result : cmdb.lookupAccounts(upns, Optional.empty()).accounts()) {
          String key = result.key().toLowerCase(Locale.ROOT);
          if (result.error() != null) {
            vips.put(
                key,
                Finding.unknown(
                    "the CMDB could not answer for it ("
                        + result.error()
                        + "), so it may be a VIP"));
          } else if (Boolean.TRUE.equals(result.isVip())) {
            vips.put(
                key,
                Finding.vip(
                    "a VIP in the CMDB"
                        + (result.title() == null ? "" : " (" + result.title() + ")")));
          }
        }
      } catch (RuntimeException e) {
        upns.forEach(
            upn ->
                vips.put(
                    upn.toLowerCase(Locale.ROOT),
                    Finding.unknown(
                        "the CMDB could not be asked ("
                            + e.getMessage()
                            + "), so it may be a VIP")));
      }
      return vips;
    };
  }
}
