package com.socactions.platform;

/** One validation failure: the JSON path of the field (e.g. {@code ips[3]}) and what is wrong. */
public record FieldError(String field, String message) {}
