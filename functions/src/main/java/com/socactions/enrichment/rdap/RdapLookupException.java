package com.socactions.enrichment.rdap;

/**
 * Why one item could not be answered, as the one-line sentence an analyst reads in the outcome.
 * Internal: never leaves {@link RdapClient}, which turns it into an outcome error.
 */
final class RdapLookupException extends Exception {
  private final boolean notFound;

  RdapLookupException(String message) {
    this(message, false, null);
  }

  RdapLookupException(String message, Throwable cause) {
    this(message, false, cause);
  }

  private RdapLookupException(String message, boolean notFound, Throwable cause) {
    super(message, cause, false, false);
    this.notFound = notFound;
  }

  static RdapLookupException notFound(String message) {
    return new RdapLookupException(message, true, null);
  }

  /** The registry answered 404: cacheable, and not a failure of the server. */
  boolean isNotFound() {
    return notFound;
  }
}
