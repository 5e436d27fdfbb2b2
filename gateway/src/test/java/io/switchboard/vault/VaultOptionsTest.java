package io.switchboard.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.gateway.GatewayConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SWITCHBOARD_VAULT_* and SWITCHBOARD_JWT_* are validated with the gateway's config")
class VaultOptionsTest {
  private Map<String, String> valid() {
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_DATABASE_URL", "postgresql://owner:pw@db.internal:5433/sb");
    env.put("SWITCHBOARD_DATABASE_APP_PASSWORD", "app-pw");
    env.put("SWITCHBOARD_MASTER_KEY", "k".repeat(48));
    return env;
  }

  @Test
  @DisplayName("defaults: enabled, 5 s requests, 3 s connect, 16 workers, one retry")
  void defaults() {
    VaultOptions v = GatewayConfig.fromEnv(valid()).vault();
    assertThat(v.enabled()).isTrue();
    assertThat(v.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(v.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(v.workerPoolSize()).isEqualTo(16);
    assertThat(v.retries()).isEqualTo(1);
    assertThat(v.jwtIssuer()).isEqualTo("switchboard");
  }

  @Test
  @DisplayName("values are read, and the signing key never shows in the config's text")
  void values() {
    Map<String, String> env = valid();
    String pem = GatewayJwtSigner.generatePem();
    env.put("SWITCHBOARD_VAULT_REQUEST_TIMEOUT", "10s");
    env.put("SWITCHBOARD_VAULT_WORKER_POOL_SIZE", "32");
    env.put("SWITCHBOARD_JWT_SIGNING_KEY", pem);
    env.put("SWITCHBOARD_JWT_AUDIENCE", "vault.acme");
    GatewayConfig c = GatewayConfig.fromEnv(env);
    assertThat(c.vault().requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.vault().workerPoolSize()).isEqualTo(32);
    assertThat(c.vault().signer().audience()).isEqualTo("vault.acme");
    assertThat(c.toString()).doesNotContain("PRIVATE KEY");
  }

  @Test
  @DisplayName("every wrong Vault or JWT variable is named")
  void problems() {
    Map<String, String> env = valid();
    env.put("SWITCHBOARD_VAULT_REQUEST_TIMEOUT", "200ms");
    env.put("SWITCHBOARD_VAULT_CONNECT_TIMEOUT", "forever");
    env.put("SWITCHBOARD_VAULT_WORKER_POOL_SIZE", "0");
    env.put("SWITCHBOARD_VAULT_RETRIES", "9");
    env.put("SWITCHBOARD_VAULT_ENABLED", "maybe");
    env.put("SWITCHBOARD_JWT_SIGNING_KEY", "not a pem");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(env))
        .isInstanceOf(GatewayConfig.InvalidConfigException.class)
        .hasMessageContaining("SWITCHBOARD_VAULT_REQUEST_TIMEOUT must be between 1s and 2m")
        .hasMessageContaining("SWITCHBOARD_VAULT_CONNECT_TIMEOUT must be a duration")
        .hasMessageContaining("SWITCHBOARD_VAULT_WORKER_POOL_SIZE must be between 1 and 512")
        .hasMessageContaining("SWITCHBOARD_VAULT_RETRIES must be between 0 and 5")
        .hasMessageContaining("SWITCHBOARD_VAULT_ENABLED must be true or false")
        .hasMessageContaining("SWITCHBOARD_JWT_SIGNING_KEY");
  }
}
