/**
 * The CMDB capability: assets (who owns a machine, how critical it is) and accounts (is the user a
 * VIP) behind one {@link com.socactions.cmdb.CmdbProvider} interface, with the built-in CSV
 * provider {@link com.socactions.cmdb.CsvCmdb} and a per-key cache {@link
 * com.socactions.cmdb.CachingCmdb} that goes in front of any provider.
 */
package com.socactions.cmdb;
