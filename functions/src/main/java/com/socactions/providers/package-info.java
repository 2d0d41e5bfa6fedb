/**
 * The provider seam: the {@link com.socactions.providers.Provider} interface every capability
 * implements once per upstream, and the registry health and {@code ListProviders} read.
 */
package com.socactions.providers;
