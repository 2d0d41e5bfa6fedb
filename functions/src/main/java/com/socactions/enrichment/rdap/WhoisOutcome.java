package com.socactions.enrichment.rdap;

import com.socactions.enrichment.WhoisNetwork;

/** The answer for one address: the network, or why there is none (a sentence for the analyst). */
public record WhoisOutcome(WhoisNetwork network, String error) {
  public static WhoisOutcome found(WhoisNetwork network) {
    return new WhoisOutcome(network, null);
  }

  public static WhoisOutcome failed(String error) {
    return new WhoisOutcome(null, error);
  }

  public boolean isFound() {
    return network != null;
  }
}
