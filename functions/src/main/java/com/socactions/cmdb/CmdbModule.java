package com.socactions.cmdb;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.providers.Provider;
import com.socactions.servicenow.ServiceNowModule;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The CMDB capability, wired from the settings: the built-in CSV CMDB ({@code builtin}) and
 * ServiceNow ({@code servicenow}, on the instance ticket sync shares), each behind its per-key
 * cache, and the service. The files are read on first lookup; ServiceNow's settings on its first
 * call.
 */
public final class CmdbModule {
  /** The provider a call without {@code provider} uses. */
  public static final String DEFAULT_PROVIDER_SETTING = "CMDB_DEFAULT_PROVIDER";

  private final List<CmdbProvider> providers;
  private final CmdbService service;

  /**
   * @param serviceNow the ServiceNow instance, shared with ticket sync
   * @throws ConfigurationException when {@value CsvCmdb#CHECK_INTERVAL_SETTING} is malformed or
   *     negative
   */
  public CmdbModule(Settings settings, Clock clock, ServiceNowModule serviceNow) {
    this.providers =
        List.of(
            cached(csv(settings, clock), clock), cached(serviceNow(settings, serviceNow), clock));
    this.service = new CmdbService(providers, settings.get(DEFAULT_PROVIDER_SETTING, CsvCmdb.ID));
  }

  /**
   * The built-in CMDB on {@value CsvCmdb#ASSETS_SETTING} and {@value CsvCmdb#ACCOUNTS_SETTING} (the
   * samples when unset), checked for changes every {@value CsvCmdb#CHECK_INTERVAL_SETTING}.
   *
   * @throws ConfigurationException when the interval is malformed or negative
   */
  static CsvCmdb csv(Settings settings, Clock clock) {
    Duration interval =
        settings.getDuration(CsvCmdb.CHECK_INTERVAL_SETTING, CsvCmdb.DEFAULT_CHECK_INTERVAL);
    if (interval.isNegative()) {
      throw new ConfigurationException(
          CsvCmdb.CHECK_INTERVAL_SETTING,
          "Setting "
              + CsvCmdb.CHECK_INTERVAL_SETTING
              + " must not be negative, not '"
              + interval
              + "'");
    }
    return new CsvCmdb(
        settings.get(CsvCmdb.ASSETS_SETTING).map(Path::of),
        settings.get(CsvCmdb.ACCOUNTS_SETTING).map(Path::of),
        interval,
        clock);
  }

  /**
   * The ServiceNow CMDB on {@code serviceNow}, its columns mapped by {@value
   * ServiceNowCmdb#FIELD_MAP_SETTING} and health's read bounded by {@value
   * ServiceNowCmdb#READINESS_TIMEOUT_SETTING}, both read on first use.
   */
  public static ServiceNowCmdb serviceNow(Settings settings, ServiceNowModule serviceNow) {
    return new ServiceNowCmdb(
        serviceNow,
        () -> serviceNowFieldMap(settings),
        () ->
            settings.getDuration(
                ServiceNowCmdb.READINESS_TIMEOUT_SETTING,
                ServiceNowCmdb.DEFAULT_READINESS_TIMEOUT));
  }

  /**
   * The defaults with {@value ServiceNowCmdb#FIELD_MAP_SETTING} applied.
   *
   * @throws ConfigurationException naming the setting for an unknown contract field, a pair without
   *     {@code =} or a column name ServiceNow cannot have
   */
  public static Map<String, String> serviceNowFieldMap(Settings settings) {
    Set<String> known =
        Set.of(
            "criticality",
            "is_hva",
            "owner_name",
            "owner_email",
            "support_group",
            "business_service",
            "location",
            "os",
            "class",
            "environment");
    Map<String, String> map = new LinkedHashMap<>(ServiceNowCmdb.DEFAULT_FIELD_MAP);
    String text = settings.get(ServiceNowCmdb.FIELD_MAP_SETTING).orElse("");
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] parts = pair.split("=", -1);
      String contract = parts[0].strip().toLowerCase(Locale.ROOT);
      if (parts.length != 2 || !known.contains(contract)) {
        throw new ConfigurationException(
            ServiceNowCmdb.FIELD_MAP_SETTING,
            "Setting "
                + ServiceNowCmdb.FIELD_MAP_SETTING
                + " must be contract_field=servicenow_field pairs separated by commas, with"
                + " contract fields among "
                + String.join(", ", known.stream().sorted().toList())
                + "; '"
                + pair.strip()
                + "' is not one");
      }
      String column = parts[1].strip();
      if (column.isEmpty()) {
        map.remove(contract);
      } else if (!column.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
        throw new ConfigurationException(
            ServiceNowCmdb.FIELD_MAP_SETTING,
            "Setting "
                + ServiceNowCmdb.FIELD_MAP_SETTING
                + " maps "
                + contract
                + " to '"
                + column
                + "', which is not a ServiceNow column name such as u_hva");
      } else {
        map.put(contract, column);
      }
    }
    return Map.copyOf(map);
  }

  private static CmdbProvider cached(CmdbProvider provider, Clock clock) {
    return new CachingCmdb(provider, CachingCmdb.DEFAULT_TTL, CachingCmdb.DEFAULT_MAX_KEYS, clock);
  }

  public CmdbService service() {
    return service;
  }

  /** What the block guardrail asks: assets the CMDB marks critical or high-value. */
  public CriticalAssets criticalAssets() {
    return service.criticalAssets();
  }

  public List<Provider> providers() {
    return List.copyOf(providers);
  }
}
