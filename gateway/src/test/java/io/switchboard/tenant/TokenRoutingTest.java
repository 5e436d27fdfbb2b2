package io.switchboard.tenant;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.scim.ScimException;
import io.switchboard.session.BearerToken;
import io.switchboard.session.ScimSession;
import io.switchboard.session.TenantSessionRef;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Bearer-token routing: token id → row → tenant → session → constant-time checks")
class TokenRoutingTest {
  private final TestGateway gateway = TestGateway.shared();
  private final TenantContexts contexts = gateway.switchboard().contexts();

  private static void assertUnauthorized(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ScimException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.detail()).isEqualTo(TenantContexts.UNAUTHORIZED);
            });
  }

  @Test
  @DisplayName("a valid token routes to its own tenant")
  void routes() {
    TestTenant a = gateway.newTenant();
    TestTenant b = gateway.newTenant();
    assertThat(await(contexts.authenticate("Bearer " + a.token())).tenantId()).isEqualTo(a.id());
    assertThat(await(contexts.authenticate("bearer " + b.token())).tenantId()).isEqualTo(b.id());
  }

  @Test
  @DisplayName("missing, malformed, unknown and forged tokens all get the same 401")
  void rejections() {
    TestTenant a = gateway.newTenant();
    String forged = a.token().substring(0, a.token().length() - 5) + "AAAAA";
    for (String header :
        new String[] {
          null,
          "",
          "Basic dXNlcjpwYXNz",
          "Bearer ",
          "Bearer not-a-token",
          "Bearer " + BearerToken.generate(BearerToken.IDP_PREFIX).reveal(),
          "Bearer " + forged,
          "Bearer " + a.token().replace("sbt_", "sba_"),
          "Bearer " + a.token() + "x".repeat(300)
        }) {
      assertUnauthorized(() -> await(contexts.authenticate(header)));
    }
  }

  @Test
  @DisplayName("a revoked token is 401 at once; the tenant's other tokens keep working")
  void revoked() {
    TestTenant a = gateway.newTenant();
    var second = await(gateway.switchboard().provisioning().issueToken(a.id(), "second", null));
    await(contexts.authenticate("Bearer " + a.token()));
    assertThat(await(gateway.switchboard().provisioning().revokeToken(a.id(), a.tokenId())))
        .isTrue();
    contexts.invalidateToken(
        a.tokenId()); // what the NOTIFY does; tested across instances in tenant-admin
    assertUnauthorized(() -> await(contexts.authenticate("Bearer " + a.token())));
    assertThat(await(contexts.authenticate("Bearer " + second.token())).tenantId())
        .isEqualTo(a.id());
  }

  @Test
  @DisplayName("an expired token is 401")
  void expired() {
    TestTenant a = gateway.newTenant();
    var t =
        await(
            gateway
                .switchboard()
                .provisioning()
                .issueToken(a.id(), "short", Instant.now().plusMillis(300)));
    await(contexts.authenticate("Bearer " + t.token()));
    sleep(400);
    contexts.invalidateToken(t.tokenId());
    assertUnauthorized(() -> await(contexts.authenticate("Bearer " + t.token())));
  }

  @Test
  @DisplayName("a suspended tenant's tokens are 401")
  void suspended() {
    TestTenant a = gateway.newTenant();
    await(contexts.authenticate("Bearer " + a.token()));
    await(
        gateway
            .switchboard()
            .database()
            .pool()
            .preparedQuery("update tenants set status = 'suspended' where id = $1")
            .execute(Tuple.of(a.id())));
    contexts.invalidateTenant(a.id());
    assertUnauthorized(() -> await(contexts.authenticate("Bearer " + a.token())));
  }

  @Test
  @DisplayName(
      "the database row alone is not enough: a token whose verifier left the session is 401")
  void sessionVerifierRequired() {
    TestTenant a = gateway.newTenant();
    await(
        gateway
            .switchboard()
            .provisioning()
            .updateSession(TenantSessionRef.local(a.id()), s -> s.withoutVerifier(a.tokenId()), 3));
    contexts.invalidateSession(a.id());
    assertUnauthorized(() -> await(contexts.authenticate("Bearer " + a.token())));
  }

  @Test
  @DisplayName("the session alone is not enough: a verifier without a database row is 401")
  void databaseRowRequired() {
    TestTenant a = gateway.newTenant();
    BearerToken rogue = BearerToken.generate(BearerToken.IDP_PREFIX);
    await(
        gateway
            .switchboard()
            .provisioning()
            .updateSession(
                TenantSessionRef.local(a.id()),
                s ->
                    s.withVerifier(
                        rogue.tokenId(),
                        ScimSession.TokenVerifier.of(rogue.secret(), Instant.now(), null)),
                3));
    contexts.invalidateSession(a.id());
    assertUnauthorized(() -> await(contexts.authenticate("Bearer " + rogue.reveal())));
  }

  @Test
  @DisplayName("a tenant whose session store holds no session gets 503 with Retry-After")
  void missingSessionIs503() throws Exception {
    TestTenant a = gateway.newTenant();
    java.nio.file.Files.delete(
        TestGateway.sharedDataDir().resolve("sessions").resolve(a.id() + ".json"));
    contexts.invalidateSession(a.id());
    assertThatThrownBy(() -> await(contexts.authenticate("Bearer " + a.token())))
        .isInstanceOfSatisfying(
            ScimException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.retryAfter()).isNotNull();
            });
  }

  @Test
  @DisplayName("100 concurrent requests of a cold tenant load its session once")
  void singleFlight() {
    TestTenant a = gateway.newTenant();
    contexts.invalidateSession(a.id());
    long before = contexts.stats().loads();
    var futures = new java.util.ArrayList<io.vertx.core.Future<TenantContext>>();
    for (int i = 0; i < 100; i++) {
      futures.add(contexts.authenticate("Bearer " + a.token()));
    }
    await(io.vertx.core.Future.all(futures));
    assertThat(contexts.stats().loads() - before).isEqualTo(1);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
