package com.socactions.blocking;

import com.socactions.indicators.Indicator;
import java.util.List;
import java.util.Optional;

/**
 * Assets the CMDB marks critical or high-value (domain controllers, payment systems, ...), which
 * are blocked only with a justified override. The CMDB capability implements it.
 */
public interface CriticalAssets {
  /** No CMDB: nothing is critical. */
  CriticalAssets NONE = indicator -> Optional.empty();

  /**
   * The critical asset that blocking {@code indicator} would cut off (its address, a network
   * holding it, its host name or a URL on it), if any.
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
   */
  record CriticalAsset(String name, String why) {}
}
