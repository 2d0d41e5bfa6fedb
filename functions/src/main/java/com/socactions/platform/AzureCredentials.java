package com.socactions.platform;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.ConfigurationSource;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.google.common.base.Suppliers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The one Azure {@link TokenCredential} of the process: Azure Identity's {@code
 * DefaultAzureCredential} (managed identity in Azure; {@code AZURE_CLIENT_ID}, {@code
 * AZURE_TENANT_ID}, {@code AZURE_CLIENT_SECRET} or a developer login elsewhere), built on first use
 * from <em>our</em> {@link Settings} rather than the process environment, and sending its token
 * requests through the process's {@link UpstreamClients}. Identity-based storage, Defender, Graph
 * and Sentinel clients all reuse it, so the JVM holds one token cache.
 *
 * <p>Why the capped wait: when the managed-identity endpoint fails, Azure Identity retries each
 * token request for 7-26 s. {@link #token(String, Duration)} and {@link #capped(Duration)} wait at
 * most a given time and then fail with an {@link UpstreamException}, while the fetch goes on in the
 * background; callers that ask for the same scope meanwhile join that one fetch instead of starting
 * another.
 */
public final class AzureCredentials {
  /** Upstream name in errors. */
  public static final String UPSTREAM = "Azure Identity";

  /** What a provider that needs the app's identity says when {@link #isConfigured} is false. */
  public static final String MISSING_IDENTITY =
      "No Azure identity in the settings: in Azure, turn on the app's managed identity; locally,"
          + " set IDENTITY_ENDPOINT and IDENTITY_HEADER or AZURE_TENANT_ID, AZURE_CLIENT_ID and"
          + " AZURE_CLIENT_SECRET";

  /** How long a request path waits for a token unless it says otherwise. */
  public static final Duration DEFAULT_MAX_TOKEN_WAIT = Duration.ofSeconds(10);

  /** One HTTP exchange with a token endpoint. */
  static final Duration TOKEN_CALL_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The standard Azure Identity environment variables, read from our settings. Settings hold no
   * list of their names, so the names Azure Identity 1.18 reads are listed here.
   */
  static final List<String> IDENTITY_SETTINGS =
      List.of(
          Configuration.PROPERTY_AZURE_CLIENT_ID,
          Configuration.PROPERTY_AZURE_TENANT_ID,
          Configuration.PROPERTY_AZURE_CLIENT_SECRET,
          Configuration.PROPERTY_AZURE_CLIENT_CERTIFICATE_PATH,
          Configuration.PROPERTY_AZURE_CLIENT_CERTIFICATE_PASSWORD,
          Configuration.PROPERTY_AZURE_CLIENT_SEND_CERTIFICATE_CHAIN,
          Configuration.PROPERTY_AZURE_USERNAME,
          Configuration.PROPERTY_AZURE_PASSWORD,
          Configuration.PROPERTY_AZURE_AUTHORITY_HOST,
          Configuration.PROPERTY_AZURE_REGIONAL_AUTHORITY_NAME,
          Configuration.PROPERTY_AZURE_IDENTITY_DISABLE_CP1,
          Configuration.PROPERTY_AZURE_POD_IDENTITY_TOKEN_URL,
          Configuration.PROPERTY_IDENTITY_ENDPOINT,
          Configuration.PROPERTY_IDENTITY_HEADER,
          Configuration.PROPERTY_MSI_ENDPOINT,
          Configuration.PROPERTY_MSI_SECRET,
          "IDENTITY_SERVER_THUMBPRINT",
          "IMDS_ENDPOINT",
          "AZURE_FEDERATED_TOKEN_FILE",
          "AZURE_ADDITIONALLY_ALLOWED_TENANTS",
          "AZURE_TOKEN_CREDENTIALS");

  private static final ConfigurationSource NO_SOURCE = path -> Map.of();

  private final Supplier<TokenCredential> credential;
  private final boolean configured;
  private final Map<String, CompletableFuture<AccessToken>> inFlight = new ConcurrentHashMap<>();

  private AzureCredentials(Supplier<TokenCredential> credential, boolean configured) {
    this.credential = Suppliers.memoize(credential::get);
    this.configured = configured;
  }

  /**
   * The process credential from these settings, built on first use (never throws here): a service
   * principal when {@code AZURE_CLIENT_ID}, {@code AZURE_TENANT_ID} and a secret or certificate are
   * set; else, when {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} are set (App Service and
   * Functions in Azure), that managed identity (user-assigned when {@code AZURE_CLIENT_ID} is set);
   * else {@code DefaultAzureCredential} (IMDS on a VM, workload identity, a developer's Azure CLI
   * login).
   */
  public AzureCredentials(Settings settings, UpstreamClients kit) {
    this(() -> processCredential(settings, kit), isConfigured(settings));
  }

  /**
   * Whether the settings this credential came from name an Azure identity of their own (see {@link
   * #isConfigured(Settings)}); always true for a given credential.
   */
  public boolean isConfigured() {
    return configured;
  }

  /**
   * Whether these settings name an Azure identity of their own: a service principal, an App Service
   * or Functions managed identity ({@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER}, which
   * Azure sets when the app has one, or the older {@code MSI_ENDPOINT}), or workload identity.
   * False on a developer machine without them, where {@code DefaultAzureCredential} could still
   * fall back to an Azure CLI login: whether that works is for a readiness check.
   */
  public static boolean isConfigured(Settings settings) {
    return isServicePrincipal(settings)
        || (settings.isSet(Configuration.PROPERTY_IDENTITY_ENDPOINT)
            && settings.isSet(Configuration.PROPERTY_IDENTITY_HEADER))
        || settings.isSet(Configuration.PROPERTY_MSI_ENDPOINT)
        || settings.isSet("AZURE_FEDERATED_TOKEN_FILE");
  }

  private static boolean isServicePrincipal(Settings settings) {
    return settings.isSet(Configuration.PROPERTY_AZURE_TENANT_ID)
        && settings.isSet(Configuration.PROPERTY_AZURE_CLIENT_ID)
        && (settings.isSet(Configuration.PROPERTY_AZURE_CLIENT_SECRET)
            || settings.isSet(Configuration.PROPERTY_AZURE_CLIENT_CERTIFICATE_PATH));
  }

  private static TokenCredential processCredential(Settings settings, UpstreamClients kit) {
    if (!isServicePrincipal(settings)) {
      Optional<AppServiceManagedIdentity> appService =
          AppServiceManagedIdentity.fromSettings(
              settings,
              settings.get(Configuration.PROPERTY_AZURE_CLIENT_ID),
              Optional.empty(),
              kit);
      if (appService.isPresent()) {
        return appService.get();
      }
    }
    return new DefaultAzureCredentialBuilder()
        .configuration(configuration(settings))
        .httpClient(tokenHttp(kit))
        .build();
  }

  /** A given credential (tests, or a caller with its own identity), with the capped waits. */
  public static AzureCredentials of(TokenCredential credential) {
    return new AzureCredentials(() -> credential, true);
  }

  /**
   * Only the managed identity: the system-assigned one, or the user-assigned one named by its
   * client id or its resource id (at most one of them). For a connection that says {@code
   * __credential=managedidentity}.
   */
  static AzureCredentials managedIdentity(
      Settings settings,
      Optional<String> clientId,
      Optional<String> resourceId,
      UpstreamClients kit) {
    return new AzureCredentials(
        () -> {
          Optional<AppServiceManagedIdentity> appService =
              AppServiceManagedIdentity.fromSettings(settings, clientId, resourceId, kit);
          if (appService.isPresent()) {
            return appService.get();
          }
          ManagedIdentityCredentialBuilder builder =
              new ManagedIdentityCredentialBuilder()
                  .configuration(configuration(settings))
                  .httpClient(tokenHttp(kit));
          clientId.ifPresent(builder::clientId);
          resourceId.ifPresent(builder::resourceId);
          return builder.build();
        },
        true);
  }

  /** The Azure Identity variables of these settings, and nothing from the process environment. */
  static Configuration configuration(Settings settings) {
    Map<String, String> values = new HashMap<>();
    IDENTITY_SETTINGS.forEach(
        name -> settings.get(name).ifPresent(value -> values.put(name, value)));
    Map<String, String> snapshot = Map.copyOf(values);
    // Our settings stand in for the environment source, so the real environment is not read.
    return new ConfigurationBuilder(NO_SOURCE, NO_SOURCE, path -> snapshot).build();
  }

  private static com.azure.core.http.HttpClient tokenHttp(UpstreamClients kit) {
    // Token endpoints answer in well under a second when healthy; the cap bounds the rest.
    return kit.azureHttpClient(http -> http.callTimeout(TOKEN_CALL_TIMEOUT));
  }

  /** The credential itself, for SDK builders that take a {@link TokenCredential} (uncapped). */
  public TokenCredential credential() {
    return credential.get();
  }

  /**
   * A token for one scope ({@code <base url>/.default}), waiting at most {@code maxWait}.
   *
   * @throws UpstreamException when no token came within {@code maxWait} (the fetch continues in the
   *     background and a later call may get it) or the identity endpoint refused
   */
  public AccessToken token(String scope, Duration maxWait) {
    return token(new TokenRequestContext().addScopes(scope), maxWait);
  }

  /**
   * A view of the credential whose every token request waits at most {@code maxWait}: give it to
   * SDK clients on request paths so that a failing identity endpoint costs a bounded wait.
   */
  public TokenCredential capped(Duration maxWait) {
    return new TokenCredential() {
      @Override
      public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromCallable(() -> token(request, maxWait))
            .subscribeOn(Schedulers.boundedElastic());
      }

      @Override
      public AccessToken getTokenSync(TokenRequestContext request) {
        return token(request, maxWait);
      }
    };
  }

  AccessToken token(TokenRequestContext request, Duration maxWait) {
    String key =
        String.join(" ", request.getScopes())
            + "|"
            + request.getClaims()
            + "|"
            + request.getTenantId();
    CompletableFuture<AccessToken> fetch = inFlight.get(key);
    if (fetch == null) {
      CompletableFuture<AccessToken> fresh = new CompletableFuture<>();
      fetch = inFlight.putIfAbsent(key, fresh);
      if (fetch == null) {
        fetch = fresh;
        start(request, fresh);
        fresh.whenComplete((token, failure) -> inFlight.remove(key, fresh));
      }
    }
    String scopes = String.join(" ", request.getScopes());
    try {
      return fetch.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new UpstreamException(
          UPSTREAM,
          "No Azure token for "
              + scopes
              + " within "
              + maxWait
              + ": the identity endpoint is slow or failing (still trying in the background)",
          e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new UpstreamException(
          UPSTREAM, "No Azure token for " + scopes + ": " + firstLine(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException(
          UPSTREAM, "Interrupted while waiting for an Azure token for " + scopes, e);
    }
  }

  private void start(TokenRequestContext request, CompletableFuture<AccessToken> result) {
    try {
      // Off the caller's thread: some credentials in the chain block while they retry.
      credential
          .get()
          .getToken(request)
          .subscribeOn(Schedulers.boundedElastic())
          .subscribe(
              result::complete,
              result::completeExceptionally,
              () ->
                  result.completeExceptionally(
                      new IllegalStateException("the credential returned no token")));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  private static String firstLine(Throwable failure) {
    String message = failure.getMessage();
    return message == null
        ? failure.getClass().getSimpleName()
        : message.lines().findFirst().orElse("");
  }
}
