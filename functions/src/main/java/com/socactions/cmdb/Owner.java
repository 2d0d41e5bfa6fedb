package com.socactions.cmdb;

/**
 * Who answers for an asset.
 *
 * @param name display name, e.g. {@code Dana Whitfield}; null when the CMDB has none
 * @param email e-mail address; null when the CMDB has none
 */
public record Owner(String name, String email) {}
