package com.socactions.enrichment.rdap;

import com.socactions.enrichment.DomainRegistration;

/** The answer for one registrable domain: the registration, or why there is none. */
public record DomainOutcome(DomainRegistration registration, String error) {
  public static DomainOutcome found(DomainRegistration registration) {
    return new DomainOutcome(registration, null);
  }

  public static DomainOutcome failed(String error) {
    return new DomainOutcome(null, error);
  }

  public boolean isFound() {
    return registration != null;
  }
}
