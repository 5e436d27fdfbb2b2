package io.switchboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TenantSettings: strict parsing for input, defaults for what is missing")
class TenantSettingsTest {

  @Test
  @DisplayName("an empty object gives the defaults, and toJson round-trips")
  void defaults() {
    TenantSettings s = TenantSettings.parse(new JsonObject());
    assertThat(s).isEqualTo(TenantSettings.DEFAULTS);
    assertThat(TenantSettings.parse(s.toJson())).isEqualTo(s);
  }

  @Test
  @DisplayName("every setting is read")
  void full() {
    TenantSettings s =
        TenantSettings.parse(
            new JsonObject(
                "{\"patchResponse\":{\"users\":204,\"groups\":200},"
                    + "\"rateLimit\":{\"requestsPerSecond\":5,\"burst\":10},\"concurrency\":3,"
                    + "\"managedGroups\":{\"mode\":\"selected\",\"groups\":[\"Eng\"]},"
                    + "\"confirmation\":{\"mode\":\"interval\",\"intervalSeconds\":60},"
                    + "\"hardDelete\":\"erase\"}"));
    assertThat(s.patchUserStatus()).isEqualTo(204);
    assertThat(s.rateLimit()).isEqualTo(new TenantSettings.RateLimit(5, 10));
    assertThat(s.concurrency()).isEqualTo(3);
    assertThat(s.managedGroups().manages("eng")).isTrue();
    assertThat(s.managedGroups().manages("Sales")).isFalse();
    assertThat(s.confirmation()).isEqualTo(new TenantSettings.Confirmation(false, 60));
    assertThat(s.hardDelete()).isEqualTo(TenantSettings.HardDelete.ERASE);
    assertThat(TenantSettings.parse(s.toJson())).isEqualTo(s);
  }

  @Test
  @DisplayName("wrong values are all reported, each naming its setting")
  void invalid() {
    assertThatThrownBy(
            () ->
                TenantSettings.parse(
                    new JsonObject(
                        "{\"patchResponse\":{\"users\":201},\"rateLimit\":{\"requestsPerSecond\":0},"
                            + "\"confirmation\":{\"mode\":\"interval\",\"intervalSeconds\":10},"
                            + "\"hardDelete\":\"shred\",\"colour\":\"blue\"}")))
        .isInstanceOfSatisfying(
            TenantSettings.InvalidSettingsException.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(p -> p.contains("patchResponse.users"))
                    .anyMatch(p -> p.contains("rateLimit.requestsPerSecond"))
                    .anyMatch(p -> p.contains("confirmation.intervalSeconds"))
                    .anyMatch(p -> p.contains("hardDelete"))
                    .anyMatch(p -> p.contains("colour")));
  }

  @Test
  @DisplayName("stored settings never fail: wrong values fall back to defaults")
  void lenient() {
    TenantSettings s = TenantSettings.fromJson(new JsonObject("{\"concurrency\":\"lots\"}"));
    assertThat(s.concurrency()).isEqualTo(TenantSettings.DEFAULTS.concurrency());
  }
}
