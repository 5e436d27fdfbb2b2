package io.switchboard.vault;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.crypto.MasterKey;
import io.switchboard.session.ScimSession;
import io.switchboard.session.SessionCodec;
import io.switchboard.session.SessionConflictException;
import io.switchboard.session.SessionNotFoundException;
import io.switchboard.session.SessionUnavailableException;
import io.switchboard.session.StoredSession;
import io.switchboard.session.TenantSessionRef;
import io.switchboard.testkit.vault.VaultBackend;
import io.switchboard.vault.VaultDiagnostics.Step;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the Vault session store must do against any Vault: the in-process API double and, where
 * Docker exists, a real Vault. Subclasses say which.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class VaultSessionStoreContract {
  protected Vertx vertx;
  protected VaultBackend backend;
  protected VaultSessionStore store;
  protected final MasterKey master = MasterKey.parse(MasterKey.generateBase64());
  protected final GatewayJwtSigner signer =
      GatewayJwtSigner.create(GatewayJwtSigner.generatePem(), null, "switchboard-test", "vault");

  /** Starts the Vault under test. */
  protected abstract VaultBackend startBackend(Vertx vertx);

  protected VaultOptions options() {
    return VaultOptions.defaults();
  }

  @BeforeAll
  void startAll() {
    vertx = Vertx.vertx();
    backend = startBackend(vertx);
    store = VaultSessionStore.create(vertx, options(), master, signer);
  }

  @AfterAll
  void stopAll() {
    await(store.close());
    backend.close();
    await(vertx.close());
  }

  /** A tenant provisioned in the backend with one auth method. */
  protected record Tenant(UUID id, String slug, VaultConnection connection) {
    TenantSessionRef ref() {
      return new TenantSessionRef(id, TenantSessionRef.VAULT, connection.toJson());
    }

    TenantSessionRef refWith(VaultConnection other) {
      return new TenantSessionRef(id, TenantSessionRef.VAULT, other.toJson());
    }
  }

  protected Tenant tenant(String method) {
    UUID id = UUID.randomUUID();
    String slug = "t-" + id.toString().substring(0, 8);
    JsonObject request = backend.provision(id, VaultConnection.defaultPath(slug), method, signer);
    return new Tenant(id, slug, VaultConnection.fromRequest(request, id, slug, master));
  }

  protected ScimSession fresh(Tenant t) {
    return ScimSession.create(t.id(), Instant.now());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jwt", "approle", "token"})
  @DisplayName("writes a session with check-and-set and reads back the same keys and version")
  void roundTrip(String method) {
    Tenant t = tenant(method);
    ScimSession session = fresh(t);
    assertThat(await(store.write(t.ref(), session, 0))).isEqualTo(1);
    StoredSession read = await(store.read(t.ref()));
    assertThat(read.version()).isEqualTo(1);
    assertThat(read.session().tenantId()).isEqualTo(t.id());
    assertThat(read.session().currentKey().key()).isEqualTo(session.currentKey().key());
    ScimSession rotated = read.session().withNewAccountKey(Instant.now());
    assertThat(await(store.write(t.ref(), rotated, 1))).isEqualTo(2);
    assertThat(await(store.read(t.ref())).session().currentKeyVersion()).isEqualTo(2);
  }

  @Test
  @DisplayName("a check-and-set write against a stale version is a SessionConflictException")
  void casConflict() {
    Tenant t = tenant("approle");
    await(store.write(t.ref(), fresh(t), 0));
    assertThatThrownBy(() -> await(store.write(t.ref(), fresh(t), 0)))
        .as("creating twice loses the race")
        .isInstanceOf(SessionConflictException.class);
    await(store.write(t.ref(), fresh(t), 1));
    assertThatThrownBy(() -> await(store.write(t.ref(), fresh(t), 1)))
        .isInstanceOf(SessionConflictException.class);
    assertThat(await(store.read(t.ref())).version()).isEqualTo(2);
  }

  @Test
  @DisplayName("a path without a session is SessionNotFoundException")
  void notFound() {
    Tenant t = tenant("approle");
    assertThatThrownBy(() -> await(store.read(t.ref())))
        .isInstanceOf(SessionNotFoundException.class);
  }

  @Test
  @DisplayName("delete shreds every version and the metadata; deleting again succeeds")
  void deleteShreds() {
    Tenant t = tenant("jwt");
    await(store.write(t.ref(), fresh(t), 0));
    await(store.write(t.ref(), fresh(t), 1));
    assertThat(backend.exists(t.connection().path())).isTrue();
    await(store.delete(t.ref()));
    assertThat(backend.exists(t.connection().path())).isFalse();
    assertThatThrownBy(() -> await(store.read(t.ref())))
        .isInstanceOf(SessionNotFoundException.class);
    await(store.delete(t.ref()));
    assertThat(await(store.write(t.ref(), fresh(t), 0)))
        .as("version history restarts")
        .isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jwt", "approle"})
  @DisplayName("a revoked token is replaced by a fresh login on the 403, once")
  void reloginAfterRevocation(String method) {
    Tenant t = tenant(method);
    await(store.write(t.ref(), fresh(t), 0));
    long before = store.logins();
    await(store.read(t.ref()));
    assertThat(store.logins()).as("token cached").isEqualTo(before);
    backend.revokeLoginTokens();
    assertThat(await(store.read(t.ref())).version()).isEqualTo(1);
    assertThat(store.logins()).isEqualTo(before + 1);
  }

  @Test
  @DisplayName("something that is not a session is InvalidSessionException")
  void garbage() {
    Tenant t = tenant("approle");
    backend.putRaw(t.connection().path(), new JsonObject().put("scimsession", "{not json"));
    assertThatThrownBy(() -> await(store.read(t.ref())))
        .isInstanceOf(SessionCodec.InvalidSessionException.class);
    backend.putRaw(t.connection().path(), new JsonObject().put("other", "value"));
    assertThatThrownBy(() -> await(store.read(t.ref())))
        .isInstanceOf(SessionCodec.InvalidSessionException.class);
  }

  @Test
  @DisplayName("another tenant's session copied into the path is refused")
  void copiedSession() {
    Tenant t = tenant("approle");
    ScimSession foreign = ScimSession.create(UUID.randomUUID(), Instant.now());
    backend.putRaw(
        t.connection().path(),
        new JsonObject()
            .put(
                "scimsession",
                new String(
                    SessionCodec.toBytes(foreign), java.nio.charset.StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> await(store.read(t.ref())))
        .isInstanceOf(SessionCodec.InvalidSessionException.class);
  }

  @Test
  @DisplayName("a path outside the role's policy is unavailable, and diagnostics say 'policy'")
  void policyDenied() {
    Tenant t = tenant("approle");
    VaultConnection elsewhere =
        VaultConnection.fromJson(
            t.connection().toJson().put("path", "switchboard/other/scimsession"));
    assertThatThrownBy(() -> await(store.read(t.refWith(elsewhere))))
        .isInstanceOf(SessionUnavailableException.class)
        .hasMessageContaining("policy");
    VaultDiagnostics.Result r = await(store.diagnostics().test(elsewhere, t.id()));
    assertThat(r.step()).isEqualTo(Step.POLICY);
  }

  @Test
  @DisplayName("wrong AppRole credentials are unavailable, and diagnostics say 'login'")
  void badLogin() {
    Tenant t = tenant("approle");
    JsonObject request = backend.provision(t.id(), t.connection().path(), "approle", signer);
    request.getJsonObject("auth").put("secretId", "wrong-" + UUID.randomUUID());
    VaultConnection wrong = VaultConnection.fromRequest(request, t.id(), t.slug(), master);
    assertThatThrownBy(() -> await(store.read(t.refWith(wrong))))
        .isInstanceOf(SessionUnavailableException.class)
        .hasMessageContaining("login");
    assertThat(await(store.diagnostics().test(wrong, t.id())).step()).isEqualTo(Step.LOGIN);
  }

  @Test
  @DisplayName("diagnostics name a missing session, an invalid one, and report ok with the version")
  void diagnosticsOfTheSession() {
    Tenant t = tenant("jwt");
    VaultDiagnostics diagnostics = store.diagnostics();
    assertThat(await(diagnostics.test(t.connection(), t.id())).step())
        .isEqualTo(Step.MISSING_SESSION);
    await(store.write(t.ref(), fresh(t), 0));
    await(store.write(t.ref(), fresh(t), 1));
    VaultDiagnostics.Result ok = await(diagnostics.test(t.connection(), t.id()));
    assertThat(ok.ok()).isTrue();
    assertThat(ok.sessionVersion()).isEqualTo(2);
    assertThat(ok.toJson().getString("step")).isEqualTo("ok");
    backend.putRaw(t.connection().path(), new JsonObject().put("scimsession", "[]"));
    assertThat(await(diagnostics.test(t.connection(), t.id())).step())
        .isEqualTo(Step.INVALID_SESSION);
  }
}
