/**
 * Cross-cutting machinery shared by every capability: settings, the one shared HTTP client,
 * resilience policies, problem+json errors, request context and logging.
 */
package com.socactions.platform;
