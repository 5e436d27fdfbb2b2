package io.switchboard.vault;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.session.SessionUnavailableException;
import io.switchboard.session.TenantSessionRef;
import io.switchboard.testkit.vault.DoubleVaultBackend;
import io.switchboard.testkit.vault.TestCertificates;
import io.switchboard.testkit.vault.VaultApiDouble;
import io.switchboard.testkit.vault.VaultBackend;
import io.switchboard.vault.VaultDiagnostics.Step;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The store contract against the in-process Vault API double, plus what only a double can show: the
 * exact requests the driver sends, namespaces, outages, slow answers, TLS and DNS failures.
 */
@DisplayName("Vault session store against the Vault API double")
class VaultSessionStoreOnDoubleTest extends VaultSessionStoreContract {

  @Override
  protected VaultBackend startBackend(Vertx vertx) {
    return DoubleVaultBackend.start(vertx);
  }

  private VaultApiDouble vault() {
    return ((DoubleVaultBackend) backend).vault();
  }

  @Test
  @DisplayName(
      "the driver sends KV v2 paths without a doubled data/, cas on every write, and"
          + " deletes through metadata")
  void requestsOnTheWire() {
    Tenant t = tenant("approle");
    vault().clearRequests();
    await(store.write(t.ref(), fresh(t), 0));
    await(store.read(t.ref()));
    await(store.delete(t.ref()));
    String data = "/v1/secret/data/" + t.connection().path();
    List<VaultApiDouble.Recorded> sent = vault().requests();
    assertThat(sent)
        .extracting(VaultApiDouble.Recorded::path)
        .noneMatch(p -> p.contains("/data/data/"));
    assertThat(sent)
        .extracting(r -> r.method() + " " + r.path())
        .containsExactly(
            "POST /v1/auth/approle/login",
            "POST " + data,
            "GET " + data,
            "DELETE /v1/secret/metadata/" + t.connection().path());
    JsonObject write = sent.get(1).body();
    assertThat(write.getJsonObject("options").getLong("cas")).isEqualTo(0L);
    assertThat(write.getJsonObject("data").getString("scimsession")).contains(t.id().toString());
    assertThat(sent.get(1).token()).startsWith("hvs.");
  }

  @Test
  @DisplayName(
      "an Enterprise namespace goes on the login and every KV call; the root namespace"
          + " does not see the tenant")
  void namespaces() {
    DoubleVaultBackend inNamespace =
        new DoubleVaultBackend(vault(), "admin/acme", Duration.ofMinutes(5));
    UUID id = UUID.randomUUID();
    String slug = "ns-" + id.toString().substring(0, 8);
    JsonObject request =
        inNamespace.provision(id, VaultConnection.defaultPath(slug), "approle", signer);
    VaultConnection c = VaultConnection.fromRequest(request, id, slug, master);
    assertThat(c.namespace()).isEqualTo("admin/acme");
    TenantSessionRef ref = new TenantSessionRef(id, "vault", c.toJson());
    vault().clearRequests();
    await(
        store.write(
            ref, io.switchboard.session.ScimSession.create(id, java.time.Instant.now()), 0));
    assertThat(await(store.read(ref)).version()).isEqualTo(1);
    assertThat(vault().requests())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.namespace()).isEqualTo("admin/acme"));

    JsonObject withoutNamespace = c.toJson();
    withoutNamespace.remove("namespace");
    assertThatThrownBy(() -> await(store.read(new TenantSessionRef(id, "vault", withoutNamespace))))
        .isInstanceOf(SessionUnavailableException.class)
        .hasMessageContaining("login");
  }

  @Test
  @DisplayName("fifty concurrent reads of a cold tenant make one login")
  void oneLoginForManyReads() {
    Tenant t = tenant("approle");
    await(store.write(t.connection().sessionRef(t.id()), fresh(t), 0));
    store.forgetTokens();
    long before = store.logins();
    var reads = new java.util.ArrayList<io.vertx.core.Future<?>>();
    for (int i = 0; i < 50; i++) {
      reads.add(store.read(t.ref()));
    }
    await(io.vertx.core.Future.all(reads));
    assertThat(store.logins()).isEqualTo(before + 1);
  }

  @Test
  @DisplayName("a token is reused until shortly before its lease ends, then a new login follows")
  void tokenExpiry() throws InterruptedException {
    DoubleVaultBackend shortLived =
        new DoubleVaultBackend(vault(), VaultApiDouble.ROOT_NAMESPACE, Duration.ofSeconds(2));
    UUID id = UUID.randomUUID();
    String slug = "ttl-" + id.toString().substring(0, 8);
    VaultConnection c =
        VaultConnection.fromRequest(
            shortLived.provision(id, VaultConnection.defaultPath(slug), "jwt", signer),
            id,
            slug,
            master);
    TenantSessionRef ref = new TenantSessionRef(id, "vault", c.toJson());
    long before = store.logins();
    await(
        store.write(
            ref, io.switchboard.session.ScimSession.create(id, java.time.Instant.now()), 0));
    await(store.read(ref));
    assertThat(store.logins()).isEqualTo(before + 1);
    Thread.sleep(1_800); // past 2 s minus the 20 % margin
    await(store.read(ref));
    assertThat(store.logins()).isEqualTo(before + 2);
  }

  @Test
  @DisplayName("a sealed or failing Vault is SessionUnavailableException; one 5xx is retried")
  void outage() {
    Tenant t = tenant("approle");
    await(store.write(t.ref(), fresh(t), 0));
    vault().sealed(true);
    try {
      assertThatThrownBy(() -> await(store.read(t.ref())))
          .isInstanceOf(SessionUnavailableException.class)
          .hasMessageContaining("503");
    } finally {
      vault().sealed(false);
    }
    vault().failNext(1, 500);
    assertThat(await(store.read(t.ref())).version()).as("retried once").isEqualTo(1);
    vault().sealed(true);
    try {
      VaultDiagnostics.Result r = await(store.diagnostics().test(t.connection(), t.id()));
      assertThat(r.step()).isEqualTo(Step.SERVER_ERROR);
      assertThat(r.message()).contains("503");
    } finally {
      vault().sealed(false);
    }
  }

  @Test
  @DisplayName("a Vault slower than the request timeout is unavailable, not a hang")
  void slowVault() {
    VaultSessionStore impatient =
        VaultSessionStore.create(
            vertx,
            VaultOptions.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), 0),
            master,
            signer);
    Tenant t = tenant("token");
    await(store.write(t.ref(), fresh(t), 0));
    vault().delay(Duration.ofMillis(2_500));
    try {
      long started = System.nanoTime();
      assertThatThrownBy(() -> await(impatient.read(t.ref())))
          .isInstanceOf(SessionUnavailableException.class)
          .hasMessageContaining("in time");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    } finally {
      vault().delay(Duration.ZERO);
      await(impatient.close());
    }
  }

  @Test
  @DisplayName("a slow Vault never holds the event loop: driver calls run on the vault-io pool")
  void eventLoopStaysFree() throws Exception {
    Tenant t = tenant("approle");
    await(store.write(t.ref(), fresh(t), 0));
    vault().delay(Duration.ofMillis(1_500));
    try {
      var lag = new java.util.concurrent.CompletableFuture<Long>();
      var read = new java.util.concurrent.CompletableFuture<Long>();
      vertx
          .getOrCreateContext()
          .runOnContext(
              v -> {
                store
                    .read(t.ref())
                    .onComplete(
                        r -> {
                          if (r.succeeded()) {
                            read.complete(r.result().version());
                          } else {
                            read.completeExceptionally(r.cause());
                          }
                        });
                long started = System.nanoTime();
                vertx.setTimer(20, id -> lag.complete((System.nanoTime() - started) / 1_000_000));
              });
      assertThat(lag.get(5, java.util.concurrent.TimeUnit.SECONDS))
          .as("a 20 ms timer on the same event loop fires while Vault is slow")
          .isLessThan(500L);
      assertThat(read.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1L);
    } finally {
      vault().delay(Duration.ZERO);
    }
  }

  @Test
  @DisplayName("a JWT signed by a key the role does not trust is a login failure")
  void untrustedJwt() {
    Tenant t = tenant("jwt");
    GatewayJwtSigner stranger =
        GatewayJwtSigner.create(GatewayJwtSigner.generatePem(), null, "switchboard-test", "vault");
    VaultSessionStore other =
        VaultSessionStore.create(vertx, VaultOptions.defaults(), master, stranger);
    try {
      assertThat(await(other.diagnostics().test(t.connection(), t.id())).step())
          .isEqualTo(Step.LOGIN);
    } finally {
      await(other.close());
    }
  }

  @Nested
  @DisplayName("diagnostics name the network step that fails")
  class NetworkSteps {

    @Test
    @DisplayName("an unresolvable host is 'dns'")
    void dns() {
      VaultConnection c = connection("https://vault.invalid:8200", null);
      assertThat(await(store.diagnostics().test(c, UUID.randomUUID())).step()).isEqualTo(Step.DNS);
    }

    @Test
    @DisplayName("a closed port is 'connect', and the store is unavailable")
    void connect() throws IOException {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      VaultConnection c = connection("http://127.0.0.1:" + port, null);
      UUID id = UUID.randomUUID();
      assertThat(await(store.diagnostics().test(c, id)).step()).isEqualTo(Step.CONNECT);
      assertThatThrownBy(() -> await(store.read(new TenantSessionRef(id, "vault", c.toJson()))))
          .isInstanceOf(SessionUnavailableException.class)
          .hasMessageContaining("connect");
    }

    @Test
    @DisplayName("https to a plain-HTTP server is 'tls'")
    void tlsToPlainHttp() {
      VaultConnection c = connection(vault().address().replace("http://", "https://"), null);
      assertThat(await(store.diagnostics().test(c, UUID.randomUUID())).step()).isEqualTo(Step.TLS);
    }

    @Test
    @DisplayName("a TLS Vault works with its CA, and is 'tls' with another CA")
    void tlsWithCa() {
      VaultApiDouble https = VaultApiDouble.start(vertx, TestCertificates.selfSigned());
      try {
        DoubleVaultBackend b =
            new DoubleVaultBackend(https, VaultApiDouble.ROOT_NAMESPACE, Duration.ofMinutes(5));
        UUID id = UUID.randomUUID();
        String slug = "tls-" + id.toString().substring(0, 8);
        JsonObject request = b.provision(id, VaultConnection.defaultPath(slug), "approle", signer);
        VaultConnection good = VaultConnection.fromRequest(request, id, slug, master);
        TenantSessionRef ref = new TenantSessionRef(id, "vault", good.toJson());
        await(
            store.write(
                ref, io.switchboard.session.ScimSession.create(id, java.time.Instant.now()), 0));
        assertThat(await(store.diagnostics().test(good, id)).ok()).isTrue();

        request.put("caPem", TestCertificates.selfSigned().certificatePem());
        VaultConnection wrongCa = VaultConnection.fromRequest(request, id, slug, master);
        assertThat(await(store.diagnostics().test(wrongCa, id)).step()).isEqualTo(Step.TLS);
        assertThatThrownBy(
                () -> await(store.read(new TenantSessionRef(id, "vault", wrongCa.toJson()))))
            .isInstanceOf(SessionUnavailableException.class)
            .hasMessageContaining("tls");
      } finally {
        https.close();
      }
    }

    private VaultConnection connection(String address, String caPem) {
      JsonObject body =
          new JsonObject()
              .put("address", address)
              .put("auth", new JsonObject().put("method", "jwt").put("role", "r"));
      if (caPem != null) {
        body.put("caPem", caPem);
      }
      return VaultConnection.fromRequest(body, UUID.randomUUID(), "net", master);
    }
  }
}
