package io.switchboard.testkit.vault;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A TEST DOUBLE of HashiCorp Vault's HTTP API, not a Vault: a small Vert.x server on 127.0.0.1 that
 * answers the documented subset the gateway uses, in Vault's JSON shapes, so the real {@code
 * VaultSessionStore} and the real Vault Java driver can be exercised without a Vault server.
 *
 * <ul>
 *   <li>{@code POST /v1/auth/<mount>/login} for jwt (signature checked against a JWK set, {@code
 *       aud}, {@code exp}, optional bound {@code sub}) and approle ({@code role_id}/{@code
 *       secret_id});
 *   <li>{@code GET /v1/auth/token/lookup-self};
 *   <li>KV v2: {@code GET|POST /v1/<mount>/data/<path>} with versions and {@code options.cas},
 *       {@code GET|DELETE /v1/<mount>/metadata/<path>};
 *   <li>{@code X-Vault-Token} and {@code X-Vault-Namespace} honoured: tokens belong to one
 *       namespace, and each grants access to a list of KV paths (403 {@code permission denied}
 *       otherwise, as Vault answers for a wrong, expired or revoked token too);
 *   <li>faults: the next N answers with a status, a delay on every answer, "sealed" (503), TLS with
 *       a self-signed certificate.
 * </ul>
 *
 * Every request is recorded so tests can assert what the driver sent. Login answers carry exactly
 * {@code Content-Type: application/json}, as the driver requires.
 */
public final class VaultApiDouble implements AutoCloseable {
  public static final String ROOT_NAMESPACE = "";

  /** One request as the double received it. */
  public record Recorded(
      String method, String path, String namespace, String token, JsonObject body) {}

  private record TokenInfo(String namespace, Set<String> kvPaths, Instant expiresAt) {}

  private record AppRole(String secretId, Duration ttl, Set<String> kvPaths) {}

  private record JwtRole(
      JsonObject jwks, String audience, String boundSubject, Duration ttl, Set<String> kvPaths) {}

  private static final class Secret {
    final List<JsonObject> versions = new ArrayList<>(); // index = version - 1; null = destroyed
    final List<Instant> created = new ArrayList<>();
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final TestCertificates tls;
  private final String address;

  private final Map<String, Set<String>> kvMounts = new HashMap<>();
  private final Map<String, TokenInfo> tokens = new HashMap<>();
  private final Map<String, AppRole> appRoles = new HashMap<>(); // ns|mount|roleId
  private final Map<String, JwtRole> jwtRoles = new HashMap<>(); // ns|mount|role
  private final Map<String, Secret> secrets = new HashMap<>(); // ns|mount/path
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private int failuresLeft;
  private int failureStatus;
  private long delayMillis;
  private boolean sealed;
  private int logins;

  private VaultApiDouble(Vertx vertx, HttpServer server, TestCertificates tls) {
    this.vertx = vertx;
    this.server = server;
    this.tls = tls;
    this.address = (tls == null ? "http" : "https") + "://127.0.0.1:" + server.actualPort();
    kvMounts.put(ROOT_NAMESPACE, new java.util.HashSet<>(Set.of("secret")));
  }

  /** A plain-HTTP double on a free loopback port. */
  public static VaultApiDouble start(Vertx vertx) {
    return start(vertx, null);
  }

  /** A double serving HTTPS with {@code tls} (null for plain HTTP). */
  public static VaultApiDouble start(Vertx vertx, TestCertificates tls) {
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
    if (tls != null) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertValue(Buffer.buffer(tls.certificatePem()))
                  .setKeyValue(Buffer.buffer(tls.privateKeyPem())));
    }
    HttpServer server = vertx.createHttpServer(options);
    VaultApiDouble[] self = new VaultApiDouble[1];
    server.requestHandler(req -> self[0].handle(req));
    await(server.listen());
    self[0] = new VaultApiDouble(vertx, server, tls);
    return self[0];
  }

  public String address() {
    return address;
  }

  /** The CA PEM a connection must trust (the double's self-signed certificate), or null. */
  public String caPem() {
    return tls == null ? null : tls.certificatePem();
  }

  // ---- set-up ----

  public synchronized VaultApiDouble kvMount(String namespace, String mount) {
    kvMounts.computeIfAbsent(namespace, n -> new java.util.HashSet<>()).add(mount);
    return this;
  }

  /** A token (as {@code vault token create} would give) for the KV paths ({@code mount/path}). */
  public synchronized String issueToken(String namespace, Duration ttl, String... kvPaths) {
    String token = "hvs.double-" + UUID.randomUUID();
    tokens.put(
        token,
        new TokenInfo(namespace, Set.of(kvPaths), ttl == null ? null : Instant.now().plus(ttl)));
    return token;
  }

  public synchronized void appRole(
      String namespace,
      String mount,
      String roleId,
      String secretId,
      Duration ttl,
      String... kvPaths) {
    appRoles.put(key(namespace, mount, roleId), new AppRole(secretId, ttl, Set.of(kvPaths)));
  }

  public synchronized void jwtRole(
      String namespace,
      String mount,
      String role,
      JsonObject jwks,
      String audience,
      String boundSubject,
      Duration ttl,
      String... kvPaths) {
    jwtRoles.put(
        key(namespace, mount, role),
        new JwtRole(jwks, audience, boundSubject, ttl, Set.of(kvPaths)));
  }

  /** Revokes every token issued so far (as a lease revocation would). */
  public synchronized void revokeAllTokens() {
    tokens.clear();
  }

  /** Writes a new version of a secret directly, bypassing policies (to plant garbage). */
  public synchronized void putRaw(String namespace, String kvPath, JsonObject data) {
    Secret s = secrets.computeIfAbsent(namespace + "|" + kvPath, k -> new Secret());
    s.versions.add(data.copy());
    s.created.add(Instant.now());
  }

  // ---- faults ----

  /** The next {@code count} requests get {@code status} with a Vault error body. */
  public synchronized void failNext(int count, int status) {
    failuresLeft = count;
    failureStatus = status;
  }

  /** Every answer is held back this long (zero to stop). */
  public synchronized void delay(Duration delay) {
    delayMillis = delay.toMillis();
  }

  /** Sealed: every request is answered 503 {@code Vault is sealed}, as a sealed Vault does. */
  public synchronized void sealed(boolean value) {
    sealed = value;
  }

  // ---- inspection ----

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  public synchronized int logins() {
    return logins;
  }

  /** Whether the key exists at all (metadata present), whatever its versions' state. */
  public synchronized boolean exists(String namespace, String kvPath) {
    return secrets.containsKey(namespace + "|" + kvPath);
  }

  /** The current version's data, if any. */
  public synchronized Optional<JsonObject> current(String namespace, String kvPath) {
    Secret s = secrets.get(namespace + "|" + kvPath);
    if (s == null || s.versions.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(s.versions.get(s.versions.size() - 1)).map(JsonObject::copy);
  }

  @Override
  public void close() {
    await(server.close());
  }

  // ---- the API ----

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            buf -> {
              long delay;
              synchronized (this) {
                delay = delayMillis;
              }
              if (delay > 0) {
                vertx.setTimer(delay, t -> answer(req, buf));
              } else {
                answer(req, buf);
              }
            });
  }

  private synchronized void answer(HttpServerRequest req, Buffer buf) {
    JsonObject body = null;
    if (buf.length() > 0) {
      try {
        body = buf.toJsonObject();
      } catch (RuntimeException e) {
        reply(req, 400, errors("failed to parse JSON input"));
        return;
      }
    }
    String ns = normaliseNamespace(req.getHeader("X-Vault-Namespace"));
    String token = req.getHeader("X-Vault-Token");
    String path = req.path();
    requests.add(new Recorded(req.method().name(), path, ns, token, body));
    if (failuresLeft > 0) {
      failuresLeft--;
      reply(req, failureStatus, errors("injected fault " + failureStatus));
      return;
    }
    if (sealed) {
      reply(req, 503, errors("Vault is sealed"));
      return;
    }
    if (!path.startsWith("/v1/")) {
      reply(req, 404, errors("no handler for route"));
      return;
    }
    String rest = path.substring(4);
    if (rest.equals("auth/token/lookup-self") && req.method().name().equals("GET")) {
      lookupSelf(req, ns, token);
      return;
    }
    if (rest.startsWith("auth/") && rest.endsWith("/login") && req.method().name().equals("POST")) {
      login(req, ns, rest.substring(5, rest.length() - 6), body == null ? new JsonObject() : body);
      return;
    }
    for (String mount : kvMounts.getOrDefault(ns, Set.of())) {
      if (rest.startsWith(mount + "/data/")) {
        kvData(req, ns, mount, rest.substring(mount.length() + 6), token, body);
        return;
      }
      if (rest.startsWith(mount + "/metadata/")) {
        kvMetadata(req, ns, mount, rest.substring(mount.length() + 10), token);
        return;
      }
    }
    TokenInfo t = validToken(ns, token);
    reply(req, t == null ? 403 : 404, errors(t == null ? "permission denied" : "no handler"));
  }

  private void lookupSelf(HttpServerRequest req, String ns, String token) {
    TokenInfo t = validToken(ns, token);
    if (t == null) {
      reply(req, 403, errors("permission denied"));
      return;
    }
    long ttl =
        t.expiresAt() == null
            ? 0
            : Math.max(0, Duration.between(Instant.now(), t.expiresAt()).toSeconds());
    reply(
        req,
        200,
        envelope()
            .put(
                "data",
                new JsonObject()
                    .put("id", token)
                    .put("accessor", "acc-" + Math.abs(token.hashCode()))
                    .put("policies", new JsonArray().add("default").add("switchboard"))
                    .put("ttl", ttl)
                    .put("creation_ttl", ttl)
                    .put("renewable", false)
                    .put("type", "service")
                    .put("path", "auth/token/create")
                    .put("num_uses", 0)
                    .put("orphan", false)));
  }

  private void login(HttpServerRequest req, String ns, String mount, JsonObject body) {
    if (body.containsKey("role_id")) {
      AppRole role = appRoles.get(key(ns, mount, body.getString("role_id")));
      if (role == null || !role.secretId().equals(body.getString("secret_id"))) {
        reply(req, 400, errors("invalid role or secret ID"));
        return;
      }
      grant(req, ns, role.ttl(), role.kvPaths(), Map.of("role_id", body.getString("role_id")));
      return;
    }
    JwtRole role = jwtRoles.get(key(ns, mount, String.valueOf(body.getString("role"))));
    if (role == null) {
      reply(req, 400, errors("role \"" + body.getString("role") + "\" could not be found"));
      return;
    }
    String problem = verifyJwt(body.getString("jwt"), role);
    if (problem != null) {
      reply(req, 400, errors("error validating token: " + problem));
      return;
    }
    grant(req, ns, role.ttl(), role.kvPaths(), Map.of("role", body.getString("role")));
  }

  private void grant(
      HttpServerRequest req, String ns, Duration ttl, Set<String> paths, Map<String, String> meta) {
    logins++;
    String token = "hvs.double-" + UUID.randomUUID();
    tokens.put(token, new TokenInfo(ns, paths, ttl == null ? null : Instant.now().plus(ttl)));
    reply(
        req,
        200,
        envelope()
            .put(
                "auth",
                new JsonObject()
                    .put("client_token", token)
                    .put("accessor", "acc-" + UUID.randomUUID())
                    .put("policies", new JsonArray().add("default").add("switchboard"))
                    .put("token_policies", new JsonArray().add("default").add("switchboard"))
                    .put("metadata", new JsonObject(new HashMap<>(meta)))
                    .put("lease_duration", ttl == null ? 0 : ttl.toSeconds())
                    .put("renewable", true)
                    .put("entity_id", "")
                    .put("token_type", "service")
                    .put("orphan", true)));
  }

  private void kvData(
      HttpServerRequest req, String ns, String mount, String path, String token, JsonObject body) {
    String kvPath = mount + "/" + path;
    TokenInfo t = validToken(ns, token);
    if (t == null || !t.kvPaths().contains(kvPath)) {
      reply(req, 403, errors("permission denied"));
      return;
    }
    String secretKey = ns + "|" + kvPath;
    Secret s = secrets.get(secretKey);
    switch (req.method().name()) {
      case "GET" -> {
        if (s == null || s.versions.isEmpty() || s.versions.get(s.versions.size() - 1) == null) {
          reply(req, 404, new JsonObject().put("errors", new JsonArray()));
          return;
        }
        int v = s.versions.size();
        reply(
            req,
            200,
            envelope()
                .put(
                    "data",
                    new JsonObject()
                        .put("data", s.versions.get(v - 1).copy())
                        .put("metadata", versionMetadata(s, v))));
      }
      case "POST", "PUT" -> {
        if (body == null || !(body.getValue("data") instanceof JsonObject data)) {
          reply(req, 400, errors("no data provided"));
          return;
        }
        int current = s == null ? 0 : s.versions.size();
        JsonObject options = body.getJsonObject("options");
        if (options != null && options.containsKey("cas")) {
          long cas = options.getLong("cas");
          if (cas != current) {
            reply(req, 400, errors("check-and-set parameter did not match the current version"));
            return;
          }
        }
        Secret target = secrets.computeIfAbsent(secretKey, k -> new Secret());
        target.versions.add(data.copy());
        target.created.add(Instant.now());
        reply(req, 200, envelope().put("data", versionMetadata(target, target.versions.size())));
      }
      default -> reply(req, 405, errors("unsupported operation"));
    }
  }

  private void kvMetadata(
      HttpServerRequest req, String ns, String mount, String path, String token) {
    String kvPath = mount + "/" + path;
    TokenInfo t = validToken(ns, token);
    if (t == null || !t.kvPaths().contains(kvPath)) {
      reply(req, 403, errors("permission denied"));
      return;
    }
    String secretKey = ns + "|" + kvPath;
    switch (req.method().name()) {
      case "DELETE" -> {
        // KV v2: permanently deletes the key metadata and all version data
        secrets.remove(secretKey);
        req.response().setStatusCode(204).end();
      }
      case "GET" -> {
        Secret s = secrets.get(secretKey);
        if (s == null) {
          reply(req, 404, new JsonObject().put("errors", new JsonArray()));
          return;
        }
        JsonObject versions = new JsonObject();
        for (int v = 1; v <= s.versions.size(); v++) {
          versions.put(String.valueOf(v), versionMetadata(s, v));
        }
        reply(
            req,
            200,
            envelope()
                .put(
                    "data",
                    new JsonObject()
                        .put("current_version", s.versions.size())
                        .put("versions", versions)));
      }
      default -> reply(req, 405, errors("unsupported operation"));
    }
  }

  private static JsonObject versionMetadata(Secret s, int version) {
    return new JsonObject()
        .put("created_time", s.created.get(version - 1).toString())
        .putNull("custom_metadata")
        .put("deletion_time", "")
        .put("destroyed", s.versions.get(version - 1) == null)
        .put("version", version);
  }

  private TokenInfo validToken(String ns, String token) {
    if (token == null) {
      return null;
    }
    TokenInfo t = tokens.get(token);
    if (t == null || !t.namespace().equals(ns)) {
      return null;
    }
    if (t.expiresAt() != null && Instant.now().isAfter(t.expiresAt())) {
      tokens.remove(token);
      return null;
    }
    return t;
  }

  // ---- JWT verification (what Vault's jwt auth method does with jwks / validation keys) ----

  private static String verifyJwt(String jwt, JwtRole role) {
    if (jwt == null) {
      return "missing jwt";
    }
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return "malformed";
    }
    Base64.Decoder d = Base64.getUrlDecoder();
    JsonObject header;
    JsonObject claims;
    try {
      header = new JsonObject(new String(d.decode(parts[0]), StandardCharsets.UTF_8));
      claims = new JsonObject(new String(d.decode(parts[1]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return "malformed";
    }
    JsonObject jwk = null;
    for (Object k : role.jwks().getJsonArray("keys")) {
      if (k instanceof JsonObject o && o.getString("kid").equals(header.getString("kid"))) {
        jwk = o;
      }
    }
    if (jwk == null) {
      return "no known key " + header.getString("kid");
    }
    try {
      boolean ec = "EC".equals(jwk.getString("kty"));
      Signature sig = Signature.getInstance(ec ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
      sig.initVerify(publicKey(jwk));
      sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!sig.verify(d.decode(parts[2]))) {
        return "failed to verify id token signature";
      }
    } catch (Exception e) {
      return "failed to verify id token signature";
    }
    long now = Instant.now().getEpochSecond();
    if (claims.getLong("exp", 0L) < now) {
      return "token is expired";
    }
    if (!role.audience().equals(claims.getString("aud"))) {
      return "invalid audience (aud) claim";
    }
    if (role.boundSubject() != null && !role.boundSubject().equals(claims.getString("sub"))) {
      return "sub claim does not match bound subject";
    }
    return null;
  }

  private static PublicKey publicKey(JsonObject jwk) throws Exception {
    Base64.Decoder d = Base64.getUrlDecoder();
    if ("EC".equals(jwk.getString("kty"))) {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
      ECPoint point =
          new ECPoint(
              new BigInteger(1, d.decode(jwk.getString("x"))),
              new BigInteger(1, d.decode(jwk.getString("y"))));
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
    }
    return KeyFactory.getInstance("RSA")
        .generatePublic(
            new RSAPublicKeySpec(
                new BigInteger(1, d.decode(jwk.getString("n"))),
                new BigInteger(1, d.decode(jwk.getString("e")))));
  }

  // ---- helpers ----

  private static String key(String ns, String mount, String name) {
    return ns + "|" + mount + "|" + name;
  }

  private static String normaliseNamespace(String header) {
    if (header == null) {
      return ROOT_NAMESPACE;
    }
    return header.replaceAll("^/+", "").replaceAll("/+$", "");
  }

  private static JsonObject envelope() {
    return new JsonObject()
        .put("request_id", UUID.randomUUID().toString())
        .put("lease_id", "")
        .put("renewable", false)
        .put("lease_duration", 0)
        .putNull("data")
        .putNull("wrap_info")
        .putNull("warnings")
        .putNull("auth");
  }

  private static JsonObject errors(String message) {
    return new JsonObject().put("errors", new JsonArray().add(message));
  }

  private static void reply(HttpServerRequest req, int status, JsonObject json) {
    req.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(json.encode());
  }

  private static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
