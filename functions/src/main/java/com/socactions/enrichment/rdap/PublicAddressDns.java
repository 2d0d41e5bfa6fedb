package com.socactions.enrichment.rdap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;

/**
 * Resolves with a delegate and refuses host names that resolve to anything but public addresses.
 * Doing the check here, on the very addresses OkHttp then connects to, leaves no gap for DNS
 * rebinding (a second resolution that answers differently). A host with any non-public address is
 * refused as a whole: a public name that also maps inside the network is not trustworthy.
 */
final class PublicAddressDns implements Dns {
  private final Dns delegate;
  private final boolean allowLoopback;

  PublicAddressDns(Dns delegate, boolean allowLoopback) {
    this.delegate = delegate;
    this.allowLoopback = allowLoopback;
  }

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    List<InetAddress> addresses = delegate.lookup(hostname);
    for (InetAddress address : addresses) {
      String why = AddressPolicy.whyNotPublic(address, allowLoopback);
      if (why != null) {
        throw new RefusedAddressException(
            hostname + " resolves to " + address.getHostAddress() + ", a " + why);
      }
    }
    return addresses;
  }

  /** An {@link UnknownHostException} so OkHttp passes it through unchanged and never connects. */
  static final class RefusedAddressException extends UnknownHostException {
    RefusedAddressException(String message) {
      super(message);
    }
  }
}
