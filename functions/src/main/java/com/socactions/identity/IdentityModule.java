package com.socactions.identity;

import com.google.common.base.Suppliers;
import com.socactions.decisions.DecisionLog;
import com.socactions.graph.GraphModule;
import com.socactions.ledger.BlockLedger;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Settings;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Identity response, wired from the settings: the service on Microsoft Graph, the block ledger and
 * the CMDB's VIP lookup. Built on first use; the connector's own object id is read once per worker
 * (the setting, or the Graph token's {@code oid}), and a failed read is tried again.
 */
public final class IdentityModule {
  private final Supplier<IdentityService> service;

  public IdentityModule(
      Settings settings,
      Clock clock,
      AzureCredentials credentials,
      GraphModule graph,
      Supplier<BlockLedger> ledger,
      VipAccounts vips,
      DecisionLog decisions) {
    Supplier<ProtectedAccounts> protectedAccounts =
        Suppliers.memoize(
            () -> ProtectedAccounts.parse(settings.get(ProtectedAccounts.SETTING, "")));
    var selfId =
        Suppliers.memoize(
            () ->
                SelfIdentity.objectId(
                    settings.get(SelfIdentity.SETTING), credentials, graph.client()));
    this.service =
        Suppliers.memoize(
            () ->
                new IdentityService(
                        graph::users,
                        graph::directoryRoles,
                        graph::identityProtection,
                        ledger,
                        protectedAccounts,
                        selfId,
                        vips,
                        clock)
                    .decisionLog(decisions));
  }

  public IdentityService service() {
    return service.get();
  }
}
