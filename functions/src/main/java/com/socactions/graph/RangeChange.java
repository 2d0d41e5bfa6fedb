package com.socactions.graph;

import com.socactions.indicators.Cidr;
import java.util.List;

/**
 * What an add to or a removal from a named location did.
 *
 * @param changed the ranges added (or removed)
 * @param unchanged the ranges that needed nothing: already there for an add, not there for a
 *     removal
 * @param total the number of ranges the location holds afterwards
 * @param written whether a PATCH was sent (false when nothing changed)
 */
public record RangeChange(List<Cidr> changed, List<Cidr> unchanged, int total, boolean written) {
  public RangeChange {
    changed = List.copyOf(changed);
    unchanged = List.copyOf(unchanged);
  }
}
