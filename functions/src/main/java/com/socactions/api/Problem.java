package com.socactions.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.socactions.platform.FieldError;
import java.util.List;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}), plus the field errors of a
 * validation failure, the guardrail {@code reason} of a policy refusal, the {@code setting} to fix
 * when the connector is not configured for the call, and the correlation id to quote when asking
 * for help.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors,
    String reason,
    String setting,
    String correlationId) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
