package com.socactions.cmdb;

import com.socactions.indicators.Indicator;
import java.util.List;
import java.util.Optional;

/**
 * Assets the CMDB marks critical or high-value (domain controllers, payment systems, ...), which
 * are blocked only with a justified override. The CMDB capability implements it; blocking asks it
 * (cmdb never depends on blocking).
 */
public interface CriticalAssets {
  /** No CMDB: nothing is critical. */
  CriticalAssets NONE = indicator -> Optional.empty();

  /**
   * The critical asset that blocking {@code indicator} would cut off, if any: the asset is the
   * address or the host, a network holds one of its addresses, or a domain is a parent of its name
   * (blocking a domain blocks its subdomains on most enforcement points). A URL cuts off only its
   * own host.
   */
  Optional<CriticalAsset> find(Indicator indicator);

  /**
   * A view for one call's indicators, answering {@link #find} from what was looked up for all of
   * them at once: a CMDB behind an upstream is asked once per batch, not once per indicator.
   */
  default CriticalAssets forBatch(List<Indicator> indicators) {
    return this;
  }

  /**
   * @param name the asset's name in the CMDB, e.g. {@code dc01}
   * @param why why it is critical, e.g. {@code tier 0: domain controller} or {@code HVA}
   * @param covered the asset's address or name that the indicator covers without being it ({@code
   *     45.44.0.10} for the network {@code 45.44.0.0/24}, {@code vpn01.contoso-corp.com} for the
   *     domain {@code contoso-corp.com}); null when the indicator is the asset itself
   */
  record CriticalAsset(String name, String why, String covered) {
    /** The asset the indicator itself names. */
    public CriticalAsset(String name, String why) {
      this(name, why, null);
    }
  }
}
