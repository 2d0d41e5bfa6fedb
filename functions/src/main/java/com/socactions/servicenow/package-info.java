/**
 * The ServiceNow Table API, shared by the CMDB lookups ({@code cmdb_ci*}, {@code sys_user}) and
 * ticket sync ({@code incident}): {@link com.socactions.servicenow.ServiceNowTableClient}, its
 * settings ({@link com.socactions.servicenow.ServiceNowSettings}) and the {@link
 * com.socactions.servicenow.EncodedQuery} builder that keeps keys from changing a query.
 */
package com.socactions.servicenow;
