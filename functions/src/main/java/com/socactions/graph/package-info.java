/**
 * Microsoft Graph v1.0, for identity response: {@link com.socactions.graph.GraphClient} (token,
 * JSON batching, per-request retries, pacing of Identity Protection and Conditional Access) and one
 * class per Graph area on it: {@link com.socactions.graph.GraphUsers} (resolve accounts, disable,
 * enable, revoke sessions), {@link com.socactions.graph.GraphDirectoryRoles} (members of privileged
 * roles), {@link com.socactions.graph.GraphIdentityProtection} (confirm compromised) and {@link
 * com.socactions.graph.GraphNamedLocations} (IP ranges of a named location), wired by {@link
 * com.socactions.graph.GraphModule}.
 */
package com.socactions.graph;
