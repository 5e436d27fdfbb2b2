package io.switchboard.vault;

import io.switchboard.crypto.MasterKey;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where one tenant's scimsession lives in the customer's own Vault and how the gateway logs in
 * there: address, optional Enterprise namespace, KV v2 mount and path, optional CA certificate
 * (PEM), and one auth method: {@code jwt} (the gateway signs its own JWT, see {@link
 * GatewayJwtSigner}), {@code approle} (role id and secret id) or {@code token}.
 *
 * <p>Secrets (the AppRole secret id, the token) are held only sealed under the gateway's {@link
 * MasterKey}, bound to the tenant; {@link #toJson()} is what {@code tenants.vault} stores and
 * {@link #toPublicJson()} is what an API may show.
 *
 * <p>Usage: {@code VaultConnection c = VaultConnection.fromRequest(body, tenantId, slug, master);}
 */
public record VaultConnection(
    String address,
    String namespace,
    String mount,
    String path,
    String caPem,
    AuthMethod authMethod,
    String authMount,
    String role,
    String roleId,
    String sealedSecretId,
    String sealedToken) {

  /** How the gateway logs in to the tenant's Vault. */
  public enum AuthMethod {
    JWT("jwt"),
    APPROLE("approle"),
    TOKEN("token");

    private final String wire;

    AuthMethod(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    static AuthMethod of(String value) {
      for (AuthMethod m : values()) {
        if (m.wire.equals(value)) {
          return m;
        }
      }
      return null;
    }
  }

  public static final String DEFAULT_MOUNT = "secret";
  static final String SECRET_ID_PURPOSE = "vault-approle-secret-id";
  static final String TOKEN_PURPOSE = "vault-token";

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");
  private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
  private static final int MAX_SECRET = 4096;
  private static final int MAX_PEM = 64 * 1024;

  /** The path used when the request names none: {@code switchboard/<slug>/scimsession}. */
  public static String defaultPath(String slug) {
    return "switchboard/" + slug + "/scimsession";
  }

  /**
   * Validates an operator's request and seals its secrets for {@code tenantId}. The body:
   *
   * <pre>{@code
   * {"address": "https://vault.acme.example:8200", "namespace": "admin/acme",
   *  "mount": "secret", "path": "switchboard/acme/scimsession", "caPem": "-----BEGIN ...",
   *  "auth": {"method": "jwt", "role": "switchboard"}}
   * // or "auth": {"method": "approle", "roleId": "...", "secretId": "..."}
   * // or "auth": {"method": "token", "token": "hvs...."}; "auth.mount" overrides the login mount
   * }</pre>
   *
   * @throws InvalidVaultConnectionException naming the first field that is wrong
   */
  public static VaultConnection fromRequest(
      JsonObject body, UUID tenantId, String slug, MasterKey master) {
    if (body == null) {
      throw new InvalidVaultConnectionException("vault", "a Vault connection object is required");
    }
    String address = address(string(body, "address"));
    String namespace = optionalPath(body, "namespace");
    String mount = optionalPath(body, "mount");
    String path = optionalPath(body, "path");
    if (path != null) {
      String first = path.split("/", 2)[0];
      if (first.equals("data") || first.equals("metadata")) {
        throw new InvalidVaultConnectionException(
            "path",
            "give the secret's path without the KV v2 '"
                + first
                + "/' prefix; it is added for you");
      }
    }
    String caPem = caPem(body.getValue("caPem"));
    Object authValue = body.getValue("auth");
    if (!(authValue instanceof JsonObject auth)) {
      throw new InvalidVaultConnectionException(
          "auth", "an object with \"method\": jwt, approle or token is required");
    }
    String methodText = string(auth, "method", "auth.method");
    AuthMethod method =
        AuthMethod.of(methodText == null ? null : methodText.toLowerCase(Locale.ROOT));
    if (method == null) {
      throw new InvalidVaultConnectionException(
          "auth.method", "must be one of jwt, approle, token");
    }
    String authMount = optionalPath(auth, "mount", "auth.mount");
    String role = null;
    String roleId = null;
    String sealedSecretId = null;
    String sealedToken = null;
    switch (method) {
      case JWT -> {
        role = required(auth, "role", "auth.role");
        if (!ROLE.matcher(role).matches()) {
          throw new InvalidVaultConnectionException(
              "auth.role", "must be 1 to 128 letters, digits, '.', '_', '-' or '@'");
        }
      }
      case APPROLE -> {
        roleId = secretText(auth, "roleId", "auth.roleId");
        sealedSecretId =
            master.seal(SECRET_ID_PURPOSE, tenantId, secretText(auth, "secretId", "auth.secretId"));
      }
      case TOKEN ->
          sealedToken =
              master.seal(TOKEN_PURPOSE, tenantId, secretText(auth, "token", "auth.token"));
    }
    return new VaultConnection(
        address,
        namespace,
        mount == null ? DEFAULT_MOUNT : mount,
        path == null ? defaultPath(slug) : path,
        caPem,
        method,
        authMount == null ? method.wire() : authMount,
        role,
        roleId,
        sealedSecretId,
        sealedToken);
  }

  /** Reads the stored form ({@link #toJson()}); secrets stay sealed. */
  public static VaultConnection fromJson(JsonObject json) {
    if (json == null) {
      throw new InvalidVaultConnectionException("vault", "the tenant has no Vault connection");
    }
    JsonObject auth = json.getJsonObject("auth", new JsonObject());
    AuthMethod method = AuthMethod.of(auth.getString("method"));
    if (method == null) {
      throw new InvalidVaultConnectionException("auth.method", "unknown stored auth method");
    }
    String address = json.getString("address");
    if (address == null) {
      throw new InvalidVaultConnectionException("address", "missing in the stored connection");
    }
    if (json.getString("path") == null) {
      throw new InvalidVaultConnectionException("path", "missing in the stored connection");
    }
    return new VaultConnection(
        address,
        json.getString("namespace"),
        json.getString("mount", DEFAULT_MOUNT),
        json.getString("path"),
        json.getString("caPem"),
        method,
        auth.getString("mount", method.wire()),
        auth.getString("role"),
        auth.getString("roleId"),
        auth.getString("secretIdSealed"),
        auth.getString("tokenSealed"));
  }

  /** The stored form, for {@code tenants.vault}: secrets sealed. */
  public JsonObject toJson() {
    JsonObject auth = new JsonObject().put("method", authMethod.wire()).put("mount", authMount);
    putIfPresent(auth, "role", role);
    putIfPresent(auth, "roleId", roleId);
    putIfPresent(auth, "secretIdSealed", sealedSecretId);
    putIfPresent(auth, "tokenSealed", sealedToken);
    JsonObject json = new JsonObject().put("address", address);
    putIfPresent(json, "namespace", namespace);
    json.put("mount", mount).put("path", path);
    putIfPresent(json, "caPem", caPem);
    return json.put("auth", auth);
  }

  /** What an operator may see: no secret, sealed or not (only whether one is set). */
  public JsonObject toPublicJson() {
    JsonObject auth = new JsonObject().put("method", authMethod.wire()).put("mount", authMount);
    putIfPresent(auth, "role", role);
    putIfPresent(auth, "roleId", roleId);
    if (authMethod == AuthMethod.APPROLE) {
      auth.put("secretIdSet", sealedSecretId != null);
    }
    if (authMethod == AuthMethod.TOKEN) {
      auth.put("tokenSet", sealedToken != null);
    }
    JsonObject json = new JsonObject().put("address", address);
    putIfPresent(json, "namespace", namespace);
    json.put("mount", mount).put("path", path).put("caPemSet", caPem != null);
    return json.put("auth", auth);
  }

  /**
   * Where the tenant's session is, for {@link io.switchboard.session.SessionStore} calls: {@code
   * store.write(connection.sessionRef(tenantId), ScimSession.create(tenantId, now), 0)}.
   */
  public io.switchboard.session.TenantSessionRef sessionRef(UUID tenantId) {
    return new io.switchboard.session.TenantSessionRef(
        tenantId, io.switchboard.session.TenantSessionRef.VAULT, toJson());
  }

  /** The AppRole secret id, unsealed for the login call (or to re-seal it on an update) only. */
  public String secretId(MasterKey master, UUID tenantId) {
    return master.unseal(SECRET_ID_PURPOSE, tenantId, sealedSecretId);
  }

  /** The Vault token, unsealed for the call (or to re-seal it on an update) only. */
  public String token(MasterKey master, UUID tenantId) {
    return master.unseal(TOKEN_PURPOSE, tenantId, sealedToken);
  }

  /** The logical path the driver is given: {@code <mount>/<path>} (it inserts {@code data/}). */
  String kvPath() {
    return mount + "/" + path;
  }

  /** Number of path segments of the mount, for the driver's {@code prefixPathDepth}. */
  int mountDepth() {
    return mount.split("/").length;
  }

  @Override
  public String toString() {
    return "VaultConnection[" + toPublicJson().encode() + "]";
  }

  private static void putIfPresent(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  private static String string(JsonObject json, String key) {
    return string(json, key, key);
  }

  private static String string(JsonObject json, String key, String field) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new InvalidVaultConnectionException(field, "must be a string");
    }
    String t = s.trim();
    return t.isEmpty() ? null : t;
  }

  private static String required(JsonObject json, String key, String field) {
    String v = string(json, key, field);
    if (v == null) {
      throw new InvalidVaultConnectionException(field, "is required");
    }
    return v;
  }

  private static String secretText(JsonObject json, String key, String field) {
    String v = required(json, key, field);
    if (v.length() > MAX_SECRET || !v.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new InvalidVaultConnectionException(
          field, "must be printable ASCII without spaces, at most " + MAX_SECRET + " characters");
    }
    return v;
  }

  private static String address(String value) {
    if (value == null) {
      throw new InvalidVaultConnectionException(
          "address", "is required, such as https://vault.example.com:8200");
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new InvalidVaultConnectionException("address", "is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new InvalidVaultConnectionException("address", "must start with https://");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new InvalidVaultConnectionException("address", "must name a host");
    }
    if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
      throw new InvalidVaultConnectionException(
          "address", "must be scheme, host and port only (no credentials, query or fragment)");
    }
    String p = uri.getPath() == null ? "" : uri.getPath();
    if (!p.isEmpty() && !p.equals("/")) {
      throw new InvalidVaultConnectionException(
          "address", "must not have a path; /v1/... is added for you");
    }
    if (scheme.equals("http") && !LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
      throw new InvalidVaultConnectionException(
          "address",
          "must use https: the session keys travel on this connection (http is accepted for"
              + " loopback addresses only)");
    }
    return scheme + "://" + uri.getRawAuthority();
  }

  private static String optionalPath(JsonObject json, String key) {
    return optionalPath(json, key, key);
  }

  private static String optionalPath(JsonObject json, String key, String field) {
    String v = string(json, key, field);
    if (v == null) {
      return null;
    }
    String trimmed = v.replaceAll("^/+", "").replaceAll("/+$", "");
    if (trimmed.isEmpty()) {
      return null;
    }
    for (String segment : trimmed.split("/")) {
      if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
        throw new InvalidVaultConnectionException(
            field,
            "must be '/'-separated segments of letters, digits, '.', '_', '-' or '@' (got '"
                + v
                + "')");
      }
    }
    return trimmed;
  }

  private static String caPem(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String pem) || pem.isBlank()) {
      throw new InvalidVaultConnectionException("caPem", "must be a PEM string");
    }
    if (pem.length() > MAX_PEM || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new InvalidVaultConnectionException(
          "caPem", "must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
    try {
      var certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
      if (certs.isEmpty()) {
        throw new InvalidVaultConnectionException("caPem", "holds no certificate");
      }
    } catch (CertificateException e) {
      throw new InvalidVaultConnectionException("caPem", "is not a readable X.509 certificate");
    }
    return pem.trim() + "\n";
  }
}
