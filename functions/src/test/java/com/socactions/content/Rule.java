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
  API_VERSION_KNOWN,
  /**
   * A playbook's metadata entities are types Azure-Sentinel's playbook validator accepts ({@link
   * ContentLinter#PLAYBOOK_ENTITY_TYPES}: {@code DnsResolution}, not {@code DNS}).
   */
  ENTITY_TYPE,
  /** A playbook's Logic App carries the tag {@code LogicAppsCategory: security}. */
  PLAYBOOK_TAGS,
  /**
   * A failure branch's query over {@code result('Scope')} keeps {@code TimedOut} actions as well as
   * {@code Failed} ones, or a timed-out step would be missing from the failure comment.
   */
  FAILURE_FILTER,
  /**
   * Nothing is linked: no {@code templateLink} ({@code relativePath} resolves only for templates
   * deployed from a URI or a template spec), every nested template is inline.
   */
  NO_TEMPLATE_LINK,
  /**
   * No {@code list*()} on {@code Microsoft.Web/sites/host} or its keys: a host without code answers
   * ServiceUnavailable during the deployment. The key is created by the template instead.
   */
  NO_HOST_LIST_KEYS;

  /** The rule's name as findings print it: {@code run-after-exists}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
