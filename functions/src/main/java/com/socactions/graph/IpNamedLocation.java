package com.socactions.graph;

import java.util.List;

/**
 * A Conditional Access IP named location.
 *
 * @param ipRanges the {@code cidrAddress} of each range, as Graph holds it
 */
public record IpNamedLocation(
    String id, String displayName, boolean trusted, List<String> ipRanges) {
  public IpNamedLocation {
    ipRanges = List.copyOf(ipRanges);
  }
}
