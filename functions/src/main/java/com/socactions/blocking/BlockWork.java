package com.socactions.blocking;

import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.jobs.BatchWork;
import com.socactions.jobs.JobWork;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * BlockIndicators, AllowIndicators and UnblockIndicators as {@link JobWork}: chunks of indicators,
 * each the service call the synchronous path makes, and the model of what a chunk costs before any
 * has been observed (the upstreams' documented batch sizes and pacing with usual latencies, named
 * with their units; replaced by what this instance observes, see {@link
 * com.socactions.jobs.WorkRates}).
 */
public final class BlockWork {
  /** Indicators a chunk: one Defender import (500 a call), one PAN-OS message, ten CMDB queries. */
  public static final int INDICATOR_CHUNK = 500;

  /** Ledger work per item: its claim and its confirmation, written 100 rows a transaction. */
  public static final Duration LEDGER_PER_ITEM = Duration.ofMillis(10);

  /** One Defender for Endpoint indicator import of up to 500 (30 imports a minute at most). */
  static final Duration DEFENDER_IMPORT = Duration.ofSeconds(5);

  /** One PAN-OS User-ID message for a batch. */
  static final Duration PANOS_MESSAGE = Duration.ofSeconds(3);

  /** One read and one write of the named location, paced one a second. */
  static final Duration NAMED_LOCATION_CHANGE = Duration.ofSeconds(2);

  /** One ServiceNow CMDB query (50 keys a query, one after another) for the block guardrail. */
  static final Duration SERVICENOW_QUERY = Duration.ofSeconds(2);

  static final int SERVICENOW_KEYS_PER_QUERY = 50;

  private BlockWork() {}

  /**
   * The work of one block, allow or unblock call.
   *
   * @param operation {@code BlockIndicators}, {@code AllowIndicators} or {@code UnblockIndicators}
   * @param cmdbUpstream whether the block guardrail asks a CMDB behind an upstream (ServiceNow),
   *     which the cost model counts
   */
  public static JobWork<?> of(
      String operation, BlockCommand command, BlockingService service, boolean cmdbUpstream) {
    String provider = command.provider().toLowerCase(Locale.ROOT);
    String verb;
    Function<BlockCommand, BlockResponse> call;
    switch (operation) {
      case "BlockIndicators" -> {
        verb = "block";
        call = service::block;
      }
      case "AllowIndicators" -> {
        verb = "allow";
        call = service::allow;
      }
      case "UnblockIndicators" -> {
        verb = "unblock";
        call = service::unblock;
      }
      default -> throw new IllegalArgumentException(operation + " is not a block operation");
    }
    boolean cmdb = operation.equals("BlockIndicators") && cmdbUpstream;
    return new BatchWork<>(
        new BatchWork.Spec<BlockResponse, IndicatorResult>(
            operation,
            operation + "/" + provider,
            INDICATOR_CHUNK,
            BlockWork::indicatorKey,
            items -> call.apply(withIndicators(command, items)),
            BlockResponse::results,
            (all, ran) -> BlockResponse.of(provider, verb, all),
            (input, failure) -> failedIndicator(input, provider, failure),
            BlockResponse.class,
            items -> indicatorCost(provider, cmdb, items)),
        command.indicators());
  }

  private static Duration indicatorCost(String provider, boolean cmdb, int items) {
    int batches = (items + INDICATOR_CHUNK - 1) / INDICATOR_CHUNK;
    Duration cost = LEDGER_PER_ITEM.multipliedBy(items);
    cost =
        switch (provider) {
          case "defender" -> cost.plus(DEFENDER_IMPORT.multipliedBy(batches));
          case "panos" -> cost.plus(PANOS_MESSAGE.multipliedBy(batches));
          case "entra-named-location" -> cost.plus(NAMED_LOCATION_CHANGE.multipliedBy(batches));
          default -> cost;
        };
    if (cmdb) {
      int queries = (items + SERVICENOW_KEYS_PER_QUERY - 1) / SERVICENOW_KEYS_PER_QUERY;
      cost = cost.plus(SERVICENOW_QUERY.multipliedBy(queries));
    }
    return cost;
  }

  private static BlockCommand withIndicators(BlockCommand command, List<String> indicators) {
    return new BlockCommand(
        indicators,
        command.provider(),
        command.duration(),
        command.reason(),
        command.incidentId(),
        command.dryRun(),
        command.override(),
        command.workflowRunId(),
        command.requestedBy());
  }

  /** Indicators the service answers together: the same normalised value of the same type. */
  private static String indicatorKey(String input) {
    return Indicators.parse(input) instanceof ParseResult.Parsed parsed
        ? parsed.indicator().type() + " " + parsed.indicator().value()
        : null;
  }

  private static IndicatorResult failedIndicator(String input, String provider, String failure) {
    ParseResult parsed = Indicators.parse(input);
    if (parsed instanceof ParseResult.Parsed ok) {
      return new IndicatorResult(
          ok.indicator().value(),
          ok.indicator().input(),
          ok.indicator().type(),
          BlockStatus.FAILED,
          null,
          failure,
          null,
          provider,
          null,
          ok.notes().isEmpty() ? null : ok.notes());
    }
    return IndicatorResult.invalid((ParseResult.Invalid) parsed);
  }
}
