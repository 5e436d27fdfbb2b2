package io.switchboard.vault;

import io.switchboard.gateway.GatewayConfig;
import java.time.Duration;

/**
 * How the gateway talks to tenants' Vaults, from {@code SWITCHBOARD_VAULT_*} and {@code
 * SWITCHBOARD_JWT_*} variables. The driver counts timeouts in whole seconds, so both timeouts are
 * at least one second.
 *
 * <p>Usage: {@code VaultOptions.read(reader)} inside {@link GatewayConfig#fromEnv}.
 */
public record VaultOptions(
    boolean enabled,
    Duration requestTimeout,
    Duration connectTimeout,
    int workerPoolSize,
    int retries,
    Duration retryInterval,
    String jwtSigningKey,
    String jwtPreviousKeys,
    String jwtIssuer,
    String jwtAudience) {

  /** Defaults, for tests and `switchboard dev`. */
  public static VaultOptions defaults() {
    return new VaultOptions(
        true,
        Duration.ofSeconds(5),
        Duration.ofSeconds(3),
        16,
        1,
        Duration.ofMillis(250),
        null,
        null,
        GatewayJwtSigner.DEFAULT_ISSUER,
        GatewayJwtSigner.DEFAULT_AUDIENCE);
  }

  public VaultOptions withTimeouts(Duration request, Duration connect, int retries) {
    return new VaultOptions(
        enabled,
        request,
        connect,
        workerPoolSize,
        retries,
        retryInterval,
        jwtSigningKey,
        jwtPreviousKeys,
        jwtIssuer,
        jwtAudience);
  }

  /** Reads and validates every option, adding problems to {@code r}. */
  public static VaultOptions read(GatewayConfig.Reader r) {
    boolean enabled = r.bool("SWITCHBOARD_VAULT_ENABLED", true);
    Duration request = r.duration("SWITCHBOARD_VAULT_REQUEST_TIMEOUT", Duration.ofSeconds(5));
    Duration connect = r.duration("SWITCHBOARD_VAULT_CONNECT_TIMEOUT", Duration.ofSeconds(3));
    int pool = r.integer("SWITCHBOARD_VAULT_WORKER_POOL_SIZE", 16, 1, 512);
    int retries = r.integer("SWITCHBOARD_VAULT_RETRIES", 1, 0, 5);
    Duration interval = r.duration("SWITCHBOARD_VAULT_RETRY_INTERVAL", Duration.ofMillis(250));
    if (request.compareTo(Duration.ofSeconds(1)) < 0
        || request.compareTo(Duration.ofMinutes(2)) > 0) {
      r.problem(
          "SWITCHBOARD_VAULT_REQUEST_TIMEOUT must be between 1s and 2m (got " + request + ")");
      request = Duration.ofSeconds(5);
    }
    if (connect.compareTo(Duration.ofSeconds(1)) < 0
        || connect.compareTo(Duration.ofMinutes(1)) > 0) {
      r.problem(
          "SWITCHBOARD_VAULT_CONNECT_TIMEOUT must be between 1s and 1m (got " + connect + ")");
      connect = Duration.ofSeconds(3);
    }
    if (interval.isNegative() || interval.compareTo(Duration.ofSeconds(10)) > 0) {
      r.problem(
          "SWITCHBOARD_VAULT_RETRY_INTERVAL must be between 0 and 10s (got " + interval + ")");
      interval = Duration.ofMillis(250);
    }
    String key = r.string(GatewayJwtSigner.SIGNING_KEY_ENV, null);
    String previous = r.string(GatewayJwtSigner.PREVIOUS_KEYS_ENV, null);
    String issuer = r.string(GatewayJwtSigner.ISSUER_ENV, GatewayJwtSigner.DEFAULT_ISSUER);
    String audience = r.string(GatewayJwtSigner.AUDIENCE_ENV, GatewayJwtSigner.DEFAULT_AUDIENCE);
    if (key != null || previous != null) {
      try {
        GatewayJwtSigner.create(key, previous, issuer, audience);
      } catch (IllegalArgumentException e) {
        r.problem(e.getMessage());
      }
    }
    return new VaultOptions(
        enabled, request, connect, pool, retries, interval, key, previous, issuer, audience);
  }

  /** The signer these options describe (an ephemeral key when none is configured). */
  public GatewayJwtSigner signer() {
    return GatewayJwtSigner.create(jwtSigningKey, jwtPreviousKeys, jwtIssuer, jwtAudience);
  }

  /** Longest a worker may run one store call: two logins and two requests, each with retries. */
  Duration maxExecuteTime() {
    Duration oneCall =
        connectTimeout.plus(requestTimeout).plus(retryInterval).multipliedBy(retries + 1L);
    return oneCall.multipliedBy(4).plusSeconds(5);
  }

  @Override
  public String toString() {
    return "VaultOptions[enabled="
        + enabled
        + ", requestTimeout="
        + requestTimeout
        + ", pool="
        + workerPoolSize
        + ", retries="
        + retries
        + ", jwtKey="
        + (jwtSigningKey == null ? "ephemeral" : "configured")
        + "]";
  }
}
