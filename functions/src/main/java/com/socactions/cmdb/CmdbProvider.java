package com.socactions.cmdb;

import com.socactions.providers.Capability;
import com.socactions.providers.Provider;
import java.util.List;
import java.util.Set;

/**
 * A source of assets and accounts: the built-in CSV files ({@link CsvCmdb}) or an upstream CMDB
 * such as ServiceNow.
 *
 * <p>Both lookups answer one result per key, in the order of the keys (duplicates included), and
 * never fail the batch for one key: a key the CMDB cannot answer gets a result with an {@code
 * error}. They throw only when the provider as a whole cannot work: a {@code
 * ConfigurationException} naming the setting to fix, or an {@code UpstreamException} when the
 * upstream failed for the whole batch.
 */
public interface CmdbProvider extends Provider {

  /** Assets by IP address, host name or FQDN. */
  List<AssetMatch> lookupAssets(List<String> keys);

  /** Accounts by UPN, e-mail, {@code DOMAIN\name} or {@code name@upnSuffix}. */
  List<AccountMatch> lookupAccounts(List<String> keys);

  @Override
  default Set<Capability> capabilities() {
    return Set.of(Capability.CMDB);
  }
}
