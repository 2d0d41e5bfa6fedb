package com.socactions.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}), plus the field errors of
 * a validation failure and the correlation id to quote when asking for help.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors,
    String correlationId) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
