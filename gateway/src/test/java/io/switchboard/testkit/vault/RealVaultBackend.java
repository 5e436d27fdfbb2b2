package io.switchboard.testkit.vault;

import io.switchboard.vault.GatewayJwtSigner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.testcontainers.vault.VaultContainer;

/**
 * The store tests' backend on a real Vault (the {@code hashicorp/vault} image in dev mode, through
 * Testcontainers), configured over its HTTP API with the root token: KV v2 at {@code secret/}, the
 * AppRole and JWT auth methods, one policy per tenant path. Used only where Docker exists.
 */
public final class RealVaultBackend implements VaultBackend {
  public static final String IMAGE = "hashicorp/vault:1.18";
  private static final String ROOT_TOKEN = "switchboard-test-root";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final VaultContainer<?> container;
  private boolean jwtConfiguredFor;
  private String jwtKeyId;

  private RealVaultBackend(VaultContainer<?> container) {
    this.container = container;
  }

  @SuppressWarnings("resource")
  public static RealVaultBackend start() {
    VaultContainer<?> c = new VaultContainer<>(IMAGE).withVaultToken(ROOT_TOKEN);
    c.start();
    RealVaultBackend backend = new RealVaultBackend(c);
    backend.call("POST", "sys/auth/approle", new JsonObject().put("type", "approle"));
    backend.call("POST", "sys/auth/jwt", new JsonObject().put("type", "jwt"));
    return backend;
  }

  @Override
  public String address() {
    return "http://" + container.getHost() + ":" + container.getMappedPort(8200);
  }

  @Override
  public synchronized JsonObject provision(
      UUID tenantId, String path, String method, GatewayJwtSigner signer) {
    String policy = "sb-" + tenantId;
    String rules =
        "path \""
            + mount()
            + "/data/"
            + path
            + "\" { capabilities = [\"create\", \"read\", \"update\"] }\n"
            + "path \""
            + mount()
            + "/metadata/"
            + path
            + "\" { capabilities = [\"read\", \"delete\"] }\n";
    call("PUT", "sys/policies/acl/" + policy, new JsonObject().put("policy", rules));
    JsonObject auth = new JsonObject().put("method", method);
    switch (method) {
      case "jwt" -> {
        if (!jwtConfiguredFor || !signer.keyId().equals(jwtKeyId)) {
          call(
              "POST",
              "auth/jwt/config",
              new JsonObject()
                  .put("jwt_validation_pubkeys", new JsonArray().add(signer.publicKeyPem()))
                  .put("bound_issuer", signer.issuer()));
          jwtConfiguredFor = true;
          jwtKeyId = signer.keyId();
        }
        String role = "sb-" + tenantId;
        call(
            "POST",
            "auth/jwt/role/" + role,
            new JsonObject()
                .put("role_type", "jwt")
                .put("bound_audiences", new JsonArray().add(signer.audience()))
                .put("user_claim", "sub")
                .put("bound_subject", tenantId.toString())
                .put("token_policies", new JsonArray().add(policy))
                .put("token_ttl", "5m"));
        auth.put("role", role);
      }
      case "approle" -> {
        String role = "sb-" + tenantId;
        call(
            "POST",
            "auth/approle/role/" + role,
            new JsonObject()
                .put("token_policies", new JsonArray().add(policy))
                .put("token_ttl", "5m"));
        String roleId =
            call("GET", "auth/approle/role/" + role + "/role-id", null)
                .getJsonObject("data")
                .getString("role_id");
        String secretId =
            call("POST", "auth/approle/role/" + role + "/secret-id", new JsonObject())
                .getJsonObject("data")
                .getString("secret_id");
        auth.put("roleId", roleId).put("secretId", secretId);
      }
      case "token" ->
          auth.put(
              "token",
              call(
                      "POST",
                      "auth/token/create",
                      new JsonObject()
                          .put("policies", new JsonArray().add(policy))
                          .put("ttl", "5m")
                          .put("no_parent", true))
                  .getJsonObject("auth")
                  .getString("client_token"));
      default -> throw new IllegalArgumentException(method);
    }
    return new JsonObject()
        .put("address", address())
        .put("mount", mount())
        .put("path", path)
        .put("auth", auth);
  }

  @Override
  public void revokeLoginTokens() {
    call("PUT", "sys/leases/revoke-prefix/auth/approle/login", new JsonObject());
    call("PUT", "sys/leases/revoke-prefix/auth/jwt/login", new JsonObject());
  }

  @Override
  public boolean exists(String path) {
    return call("GET", mount() + "/metadata/" + path, null) != null;
  }

  @Override
  public void putRaw(String path, JsonObject data) {
    call("POST", mount() + "/data/" + path, new JsonObject().put("data", data));
  }

  /** Calls the API as root; null for a 404, the JSON body (or an empty object) otherwise. */
  private JsonObject call(String method, String path, JsonObject body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(address() + "/v1/" + path))
            .timeout(Duration.ofSeconds(10))
            .header("X-Vault-Token", ROOT_TOKEN)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 404) {
        return null;
      }
      if (r.statusCode() >= 300) {
        throw new IllegalStateException(
            "Vault set-up "
                + method
                + " "
                + path
                + " answered "
                + r.statusCode()
                + ": "
                + r.body());
      }
      return r.body() == null || r.body().isBlank() ? new JsonObject() : new JsonObject(r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    container.stop();
  }
}
