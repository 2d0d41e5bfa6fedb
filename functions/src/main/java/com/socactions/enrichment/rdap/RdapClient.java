package com.socactions.enrichment.rdap;

import com.socactions.platform.Settings;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import okhttp3.OkHttpClient;

/** PLACEHOLDER: being implemented in another worktree. Signatures are the contract. */
public final class RdapClient {
  public RdapClient(Settings settings, OkHttpClient sharedHttp, Clock clock) {}

  public Map<InetAddress, WhoisOutcome> lookupIps(Collection<InetAddress> ips, Duration budget) {
    throw new UnsupportedOperationException("not yet");
  }

  public Map<String, DomainOutcome> lookupDomains(Collection<String> registrableDomains, Duration budget) {
    throw new UnsupportedOperationException("not yet");
  }

  public RdapHealth health() {
    throw new UnsupportedOperationException("not yet");
  }

  public void refreshBootstrap() {
    throw new UnsupportedOperationException("not yet");
  }
}
