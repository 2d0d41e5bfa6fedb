package com.socactions.taxii;

/**
 * A request the TAXII server answers with an error message (400, 404, ...): thrown while a request
 * is served, turned into a TAXII error message by {@link TaxiiServer}. TAXII is an HTTP protocol,
 * so its statuses belong to this package.
 */
final class TaxiiException extends RuntimeException {
  private final int status;
  private final String title;
  private final String errorCode;

  TaxiiException(int status, String title, String errorCode, String description) {
    super(description);
    this.status = status;
    this.title = title;
    this.errorCode = errorCode;
  }

  /** 400 for a malformed parameter, naming it. */
  static TaxiiException badParameter(String parameter, String description) {
    return new TaxiiException(
        400, "Bad request", "invalid-parameter", parameter + ": " + description);
  }

  static TaxiiException notFound(String description) {
    return new TaxiiException(404, "Not found", "not-found", description);
  }

  int status() {
    return status;
  }

  TaxiiResources.Error toError() {
    return new TaxiiResources.Error(title, getMessage(), errorCode, Integer.toString(status));
  }
}
