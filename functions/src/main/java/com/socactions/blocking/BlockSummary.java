package com.socactions.blocking;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** How many indicators of a call ended in each status, for a playbook's conditions. */
public record BlockSummary(
    int total,
    int blocked,
    int alreadyActive,
    int allowed,
    int unblocked,
    int notFound,
    int wouldBlock,
    int refused,
    int invalid,
    int unsupported,
    int failed,
    int alreadyPresent,
    int pending,
    int wouldAllow,
    int wouldUnblock) {

  public static BlockSummary of(List<IndicatorResult> results) {
    Map<BlockStatus, Integer> counts = new EnumMap<>(BlockStatus.class);
    results.forEach(result -> counts.merge(result.status(), 1, Integer::sum));
    return new BlockSummary(
        results.size(),
        counts.getOrDefault(BlockStatus.BLOCKED, 0),
        counts.getOrDefault(BlockStatus.ALREADY_ACTIVE, 0),
        counts.getOrDefault(BlockStatus.ALLOWED, 0),
        counts.getOrDefault(BlockStatus.UNBLOCKED, 0),
        counts.getOrDefault(BlockStatus.NOT_FOUND, 0),
        counts.getOrDefault(BlockStatus.WOULD_BLOCK, 0),
        counts.getOrDefault(BlockStatus.REFUSED, 0),
        counts.getOrDefault(BlockStatus.INVALID, 0),
        counts.getOrDefault(BlockStatus.UNSUPPORTED, 0),
        counts.getOrDefault(BlockStatus.FAILED, 0),
        counts.getOrDefault(BlockStatus.ALREADY_PRESENT, 0),
        counts.getOrDefault(BlockStatus.PENDING, 0),
        counts.getOrDefault(BlockStatus.WOULD_ALLOW, 0),
        counts.getOrDefault(BlockStatus.WOULD_UNBLOCK, 0));
  }
}
