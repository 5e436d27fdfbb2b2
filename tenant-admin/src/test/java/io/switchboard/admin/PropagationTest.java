package io.switchboard.admin;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.scim.ScimException;
import io.switchboard.tenant.TenantContexts;
import io.switchboard.testkit.TestGateway;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances on one database: tenant-admin runs on the first, and what it does must
 * reach the second's caches (which hold the token, the tenant and the session) within a second,
 * through PostgreSQL LISTEN/NOTIFY.
 */
@DisplayName("Revocation and suspension reach a second gateway instance within one second")
class PropagationTest {
  private static TestGateway second;
  private final TestAdmin admin = TestAdmin.shared();
  private final AdminHttp fleet = new AdminHttp(admin.url(), admin.fleetToken());

  @BeforeAll
  static void startSecond() {
    TestAdmin.shared();
    second = TestGateway.start(env -> {});
  }

  @AfterAll
  static void stopSecond() {
    second.close();
  }

  private String org() {
    var r =
        fleet.post(
            "/orgs",
            "{\"name\":\"Two instances\",\"slug\":\"two-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\"}");
    assertThat(r.status()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  private static boolean authenticates(TenantContexts on, String token) {
    try {
      await(on.authenticate("Bearer " + token));
      return true;
    } catch (ScimException e) {
      return false;
    }
  }

  @Test
  @DisplayName("a token revoked through tenant-admin is 401 on the other instance within 1 s")
  void revoke() {
    String id = org();
    var issued = fleet.post("/orgs/" + id + "/tokens", "{}").body();
    String token = issued.get("token").asText();
    TenantContexts other = second.switchboard().contexts();
    assertThat(authenticates(other, token)).as("warm on the other instance").isTrue();
    assertThat(authenticates(other, token)).as("now served from its cache").isTrue();

    assertThat(fleet.delete("/orgs/" + id + "/tokens/" + issued.get("id").asText()).status())
        .isEqualTo(204);
    assertThat(Eventually.within(Duration.ofSeconds(1), () -> !authenticates(other, token)))
        .as("401 on the other instance within 1 s")
        .isTrue();
  }

  @Test
  @DisplayName("a suspension through tenant-admin is 401 on the other instance within 1 s")
  void suspend() {
    String id = org();
    String token = fleet.post("/orgs/" + id + "/tokens", "{}").body().get("token").asText();
    TenantContexts other = second.switchboard().contexts();
    assertThat(authenticates(other, token)).isTrue();

    assertThat(fleet.post("/orgs/" + id + "/suspend", null).status()).isEqualTo(200);
    assertThat(Eventually.within(Duration.ofSeconds(1), () -> !authenticates(other, token)))
        .as("401 on the other instance within 1 s")
        .isTrue();

    assertThat(fleet.post("/orgs/" + id + "/resume", null).status()).isEqualTo(200);
    assertThat(Eventually.within(Duration.ofSeconds(1), () -> authenticates(other, token)))
        .isTrue();
  }

  @Test
  @DisplayName("a rotation's zero overlap ends the old token on the other instance within 1 s")
  void rotate() {
    String id = org();
    var issued = fleet.post("/orgs/" + id + "/tokens", "{}").body();
    String token = issued.get("token").asText();
    TenantContexts other = second.switchboard().contexts();
    assertThat(authenticates(other, token)).isTrue();
    var rotated =
        fleet
            .post(
                "/orgs/" + id + "/tokens/" + issued.get("id").asText() + "/rotate",
                "{\"overlapSeconds\":0}")
            .body();
    assertThat(Eventually.within(Duration.ofSeconds(1), () -> !authenticates(other, token)))
        .isTrue();
    assertThat(authenticates(other, rotated.get("token").asText())).isTrue();
  }
}
