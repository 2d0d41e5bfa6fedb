package com.socactions.content;

import java.util.Locale;

/**
 * The rules of the content linter. Each finding names one; the broken fixtures under {@code
 * src/test/resources/content/broken/} are named after the rule they break.
 */
public enum Rule {
  /** Every JSON file under {@code arm/} and {@code playbooks/} parses. */
  JSON_PARSES,
  /**
   * Every {@code parameters('x')} (ARM or workflow) names a parameter of its template or
   * definition.
   */
  PARAMETER_DEFINED,
  /**
   * Every ARM {@code variables('x')} names a template variable; every workflow one an initialised
   * variable.
   */
  VARIABLE_DEFINED,
  /** Brackets, parentheses and single quotes of ARM and workflow expressions balance. */
  EXPRESSION_BALANCED,
  /** Every {@code runAfter} names an action of the same scope. */
  RUN_AFTER_EXISTS,
  /** The {@code runAfter} graph of each scope has no cycle. */
  RUN_AFTER_ACYCLIC,
  /**
   * {@code body/outputs/actions/result('X')} name an action that runs before; {@code items('X')} an
   * enclosing loop.
   */
  ACTION_REFERENCE,
  /**
   * Every {@code parameters('$connections')['name']} is declared in the workflow's {@code
   * $connections}.
   */
  CONNECTION_DECLARED,
  /**
   * Every custom connector action is an operation of the swagger: method, path, parameters, body
   * fields.
   */
  CONNECTOR_OPERATION,
  /**
   * Every Sentinel connector action is an operation of {@link SentinelActions}: method, path, body
   * fields.
   */
  SENTINEL_OPERATION,
  /** A playbook's metadata block has every field the Azure-Sentinel conventions ask for. */
  METADATA_COMPLETE,
  /** A playbook takes its Logic App's name as the {@code PlaybookName} parameter. */
  PLAYBOOK_NAME_PARAMETER,
  /** Secrets are {@code securestring}/{@code secureObject} parameters without a default value. */
  SECURE_PARAMETER,
  /** Every resource uses an API version from {@link ApiVersions}. */
  API_VERSION_KNOWN;

  /** The rule's name as findings print it: {@code run-after-exists}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
