package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Configuration is validated at start-up, naming every wrong variable")
class GatewayConfigTest {
  private Map<String, String> valid() {
    Map<String, String> env = new HashMap<>();
    env.put(
        "SWITCHBOARD_DATABASE_URL", "postgresql://owner:pw@db.internal:5433/sb?sslmode=require");
    env.put("SWITCHBOARD_DATABASE_APP_PASSWORD", "app-pw");
    env.put("SWITCHBOARD_MASTER_KEY", "k".repeat(48));
    return env;
  }

  @Test
  @DisplayName("defaults apply and the database URL is parsed")
  void defaults() {
    GatewayConfig c = GatewayConfig.fromEnv(valid());
    assertThat(c.scimPort()).isEqualTo(8080);
    assertThat(c.bindHost()).isEqualTo("127.0.0.1");
    assertThat(c.databaseUrl().host()).isEqualTo("db.internal");
    assertThat(c.databaseUrl().port()).isEqualTo(5433);
    assertThat(c.databaseUrl().params()).containsEntry("sslmode", "require");
    assertThat(c.appDatabaseUrl().user()).isEqualTo("switchboard_app");
    assertThat(c.toString()).doesNotContain("pw").doesNotContain("kkkk");
  }

  @Test
  @DisplayName("every problem is reported at once, by variable name")
  void allProblems() {
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_SCIM_PORT", "http");
    env.put("SWITCHBOARD_TOKEN_CACHE_TTL", "soon");
    env.put("SWITCHBOARD_LOG_FORMAT", "xml");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(env))
        .isInstanceOf(GatewayConfig.InvalidConfigException.class)
        .hasMessageContaining("SWITCHBOARD_DATABASE_URL is required")
        .hasMessageContaining("SWITCHBOARD_DATABASE_APP_PASSWORD is required")
        .hasMessageContaining("SWITCHBOARD_MASTER_KEY is required")
        .hasMessageContaining("SWITCHBOARD_SCIM_PORT must be an integer")
        .hasMessageContaining("SWITCHBOARD_TOKEN_CACHE_TTL must be a duration")
        .hasMessageContaining("SWITCHBOARD_LOG_FORMAT must be one of");
  }

  @Test
  @DisplayName("durations accept 500ms, 30s, 5m, 1h and ISO-8601")
  void durations() {
    Map<String, String> env = valid();
    env.put("SWITCHBOARD_TOKEN_CACHE_TTL", "500ms");
    env.put("SWITCHBOARD_SESSION_REFRESH", "PT2M");
    env.put("SWITCHBOARD_SESSION_MAX_STALENESS", "1h");
    GatewayConfig c = GatewayConfig.fromEnv(env);
    assertThat(c.tokenCacheTtl()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.sessionRefresh()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.sessionMaxStaleness()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  @DisplayName(
      "the shutdown delay defaults to 5s, accepts 0s, and a negative or huge one is refused")
  void shutdownDelay() {
    assertThat(GatewayConfig.fromEnv(valid()).shutdownDelay()).isEqualTo(Duration.ofSeconds(5));
    Map<String, String> zero = valid();
    zero.put("SWITCHBOARD_SHUTDOWN_DELAY", "0s");
    assertThat(GatewayConfig.fromEnv(zero).shutdownDelay()).isZero();
    Map<String, String> negative = valid();
    negative.put("SWITCHBOARD_SHUTDOWN_DELAY", "PT-1S");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(negative))
        .hasMessageContaining("SWITCHBOARD_SHUTDOWN_DELAY must be between");
    Map<String, String> huge = valid();
    huge.put("SWITCHBOARD_SHUTDOWN_DELAY", "1h");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(huge))
        .hasMessageContaining("SWITCHBOARD_SHUTDOWN_DELAY must be between");
    Map<String, String> garbage = valid();
    garbage.put("SWITCHBOARD_SHUTDOWN_DELAY", "later");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(garbage))
        .hasMessageContaining("SWITCHBOARD_SHUTDOWN_DELAY must be a duration");
  }

  @Test
  @DisplayName("a database URL that is not postgresql:// is refused with the reason")
  void badDatabaseUrl() {
    Map<String, String> env = valid();
    env.put("SWITCHBOARD_DATABASE_URL", "mysql://x/y");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(env))
        .hasMessageContaining(
            "SWITCHBOARD_DATABASE_URL: database URL must start with postgresql://");
  }
}
