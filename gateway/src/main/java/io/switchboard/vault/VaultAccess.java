package io.switchboard.vault;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.api.WriteOptions;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.response.LookupResponse;
import io.switchboard.crypto.MasterKey;
import io.switchboard.session.ScimSession;
import io.switchboard.session.SessionCodec;
import io.switchboard.session.SessionConflictException;
import io.switchboard.session.SessionNotFoundException;
import io.switchboard.session.StoredSession;
import io.switchboard.vault.VaultDiagnostics.Step;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The blocking half of the Vault store: driver clients, logins and the token cache, and the KV v2
 * calls with their error mapping. Every method blocks; callers run it on the {@code vault-io}
 * worker executor.
 *
 * <p>Driver traps handled here (see VAULT-NOTES): one shared {@link HttpClient} per CA, with our
 * own {@link SSLContext}; a fresh {@link VaultConfig} per client with retries set once at
 * construction; paths given without {@code data/}; the HTTP status checked on every response,
 * because 4xx answers come back without an exception; no automatic renewal, so tokens are cached
 * until shortly before their lease ends and re-obtained on a 403.
 */
final class VaultAccess {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VaultAccess.class);
  static final String SESSION_FIELD = "scimsession";
  private static final Duration NON_EXPIRING_RECHECK = Duration.ofHours(1);
  private static final Duration MAX_MARGIN = Duration.ofSeconds(60);

  private final VaultOptions options;
  private final MasterKey master;
  private final GatewayJwtSigner signer;
  private final Cache<String, HttpClient> httpClients;
  private final Cache<String, CachedToken> tokens;
  private final Cache<String, Object> loginLocks = Caffeine.newBuilder().weakValues().build();
  private final AtomicLong logins = new AtomicLong();

  /** A token and when to stop using it. */
  record CachedToken(String token, Instant useUntil) {
    @Override
    public String toString() {
      return "CachedToken[useUntil=" + useUntil + "]";
    }
  }

  /** A 403 from Vault: the token expired or was revoked, or the policy does not allow the call. */
  private static final class Forbidden extends Exception {
    private static final long serialVersionUID = 1L;

    Forbidden() {
      super(null, null, false, false);
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T run(Vault vault) throws VaultException, Forbidden;
  }

  VaultAccess(VaultOptions options, MasterKey master, GatewayJwtSigner signer) {
    this.options = options;
    this.master = master;
    this.signer = signer;
    this.httpClients = Caffeine.newBuilder().maximumSize(1_000).build();
    this.tokens =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfter(
                new Expiry<String, CachedToken>() {
                  @Override
                  public long expireAfterCreate(String key, CachedToken value, long currentTime) {
                    return Math.max(0, Duration.between(Instant.now(), value.useUntil()).toNanos());
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, CachedToken value, long currentTime, long currentDuration) {
                    return expireAfterCreate(key, value, currentTime);
                  }

                  @Override
                  public long expireAfterRead(
                      String key, CachedToken value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  long logins() {
    return logins.get();
  }

  VaultOptions options() {
    return options;
  }

  // ---- session operations ----

  StoredSession read(VaultConnection c, UUID tenantId) {
    return withToken(c, tenantId, vault -> readWith(vault, c, tenantId));
  }

  long write(VaultConnection c, UUID tenantId, ScimSession session, long expectedVersion) {
    String json = new String(SessionCodec.toBytes(session), StandardCharsets.UTF_8);
    return withToken(
        c,
        tenantId,
        vault -> {
          LogicalResponse r =
              logical(vault, c)
                  .write(
                      c.kvPath(),
                      Map.of(SESSION_FIELD, json),
                      null,
                      new WriteOptions().checkAndSet(expectedVersion).build());
          int status = r.getRestResponse().getStatus();
          if (status == 200) {
            String version = r.getData().get("version");
            if (version == null) {
              throw new VaultCallException(
                  Step.SERVER_ERROR, "Vault accepted the write but reported no version", null);
            }
            return Long.parseLong(version);
          }
          if (status == 403) {
            throw new Forbidden();
          }
          String body = body(r);
          if (status == 400 && body.contains("check-and-set")) {
            throw new SessionConflictException(
                "the session in Vault is not at version " + expectedVersion);
          }
          throw failure(status, "write to " + c.kvPath(), body);
        });
  }

  /**
   * Crypto-shred: {@code DELETE <mount>/metadata/<path>} removes the key's metadata and every
   * version's data permanently (Vault KV v2 API), unlike a soft delete that can be undone.
   */
  void delete(VaultConnection c, UUID tenantId) {
    withToken(
        c,
        tenantId,
        vault -> {
          try {
            logical(vault, c).delete(c.kvPath());
          } catch (VaultException e) {
            if (e.getHttpStatusCode() == 404) {
              return null;
            }
            if (e.getHttpStatusCode() == 403) {
              throw new Forbidden();
            }
            throw e;
          }
          return null;
        });
  }

  // ---- secrets beside the session (same mount and folder, another name) ----

  /** {@code <mount>/<folder of the session path>/<name>}. */
  static String besidePath(VaultConnection c, String name) {
    int slash = c.path().lastIndexOf('/');
    String folder = slash < 0 ? "" : c.path().substring(0, slash + 1);
    return c.mount() + "/" + folder + name;
  }

  /** One field of the secret beside the session, or null when there is no such secret. */
  String readBeside(VaultConnection c, UUID tenantId, String name, String field) {
    String path = besidePath(c, name);
    return withToken(
        c,
        tenantId,
        path,
        vault -> {
          LogicalResponse r = logical(vault, c).read(path);
          int status = r.getRestResponse().getStatus();
          if (status == 404) {
            return null;
          }
          if (status == 403) {
            throw new Forbidden();
          }
          if (status != 200) {
            throw failure(status, "read of " + path, body(r));
          }
          return r.getData().get(field);
        });
  }

  /** Writes the secret beside the session (a new KV version; no check-and-set). */
  void writeBeside(VaultConnection c, UUID tenantId, String name, String field, String value) {
    String path = besidePath(c, name);
    withToken(
        c,
        tenantId,
        path,
        vault -> {
          LogicalResponse r = logical(vault, c).write(path, Map.of(field, value));
          int status = r.getRestResponse().getStatus();
          if (status == 200 || status == 204) {
            return null;
          }
          if (status == 403) {
            throw new Forbidden();
          }
          throw failure(status, "write to " + path, body(r));
        });
  }

  /** Removes the secret beside the session with every version (metadata delete). */
  void deleteBeside(VaultConnection c, UUID tenantId, String name) {
    String path = besidePath(c, name);
    withToken(
        c,
        tenantId,
        path,
        vault -> {
          try {
            logical(vault, c).delete(path);
          } catch (VaultException e) {
            if (e.getHttpStatusCode() == 404) {
              return null;
            }
            if (e.getHttpStatusCode() == 403) {
              throw new Forbidden();
            }
            throw e;
          }
          return null;
        });
  }

  StoredSession readWith(Vault vault, VaultConnection c, UUID tenantId)
      throws VaultException, Forbidden {
    LogicalResponse r = logical(vault, c).read(c.kvPath());
    int status = r.getRestResponse().getStatus();
    if (status == 404) {
      throw new SessionNotFoundException(
          "the tenant's Vault holds no scimsession at " + c.kvPath());
    }
    if (status == 403) {
      throw new Forbidden();
    }
    if (status != 200) {
      throw failure(status, "read of " + c.kvPath(), body(r));
    }
    String json = r.getData().get(SESSION_FIELD);
    if (json == null) {
      throw new SessionCodec.InvalidSessionException(
          "the secret at " + c.kvPath() + " has no '" + SESSION_FIELD + "' field");
    }
    ScimSession session = SessionCodec.fromBytes(json.getBytes(StandardCharsets.UTF_8));
    if (!session.tenantId().equals(tenantId)) {
      throw new SessionCodec.InvalidSessionException(
          "the stored session belongs to another tenant");
    }
    Long version = r.getDataMetadata().getVersion();
    if (version == null) {
      throw new SessionCodec.InvalidSessionException("Vault reported no version for the session");
    }
    return new StoredSession(session, version);
  }

  /** Reads once with a freshly obtained token, no retry on 403: what diagnostics needs. */
  StoredSession readOnce(VaultConnection c, UUID tenantId, String token) {
    try {
      return readWith(client(c, token), c, tenantId);
    } catch (Forbidden f) {
      throw new VaultCallException(
          Step.POLICY,
          "logged in, but Vault denied reading "
              + c.kvPath()
              + ": the role's policy must allow read on "
              + c.mount()
              + "/data/"
              + c.path(),
          null);
    } catch (VaultException e) {
      throw classify(e, "read of " + c.kvPath());
    }
  }

  // ---- tokens ----

  private <T> T withToken(VaultConnection c, UUID tenantId, Call<T> call) {
    return withToken(c, tenantId, c.kvPath(), call);
  }

  /** As above; {@code path} is the secret named if the policy denies it. */
  private <T> T withToken(VaultConnection c, UUID tenantId, String path, Call<T> call) {
    String key = cacheKey(c, tenantId);
    CachedToken token = token(key, c, tenantId);
    try {
      try {
        return call.run(client(c, token.token()));
      } catch (Forbidden first) {
        // the token may have been revoked or expired early: log in again, once
        tokens.asMap().remove(key, token);
        CachedToken fresh = token(key, c, tenantId);
        try {
          return call.run(client(c, fresh.token()));
        } catch (Forbidden second) {
          throw new VaultCallException(
              Step.POLICY,
              "Vault denied access to " + path + " after a fresh login: check the role's policy",
              null);
        }
      }
    } catch (VaultException e) {
      throw classify(e, "call to " + c.address());
    }
  }

  /**
   * The cached token, or one fresh login per connection however many workers ask at once. The login
   * runs under a per-key lock, not inside the cache's own computation, so a slow Vault never holds
   * up other tenants' cache entries.
   */
  private CachedToken token(String key, VaultConnection c, UUID tenantId) {
    CachedToken cached = tokens.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    Object lock = loginLocks.get(key, k -> new Object());
    synchronized (lock) {
      cached = tokens.getIfPresent(key);
      if (cached == null) {
        cached = login(c, tenantId);
        tokens.put(key, cached);
      }
      return cached;
    }
  }

  void forgetTokens() {
    tokens.invalidateAll();
  }

  /** Logs in afresh by the connection's method; token auth validates the token (lookup-self). */
  CachedToken login(VaultConnection c, UUID tenantId) {
    logins.incrementAndGet();
    LOG.debug("tenant {}: {} login to Vault at {}", tenantId, c.authMethod().wire(), c.address());
    try {
      Vault vault = client(c, null);
      switch (c.authMethod()) {
        case JWT -> {
          AuthResponse r =
              auth(vault, c).loginByJwt(c.authMount(), c.role(), signer.sign(tenantId));
          return cached(r.getAuthClientToken(), r.getAuthLeaseDuration());
        }
        case APPROLE -> {
          AuthResponse r =
              auth(vault, c)
                  .loginByAppRole(c.authMount(), c.roleId(), c.secretId(master, tenantId));
          return cached(r.getAuthClientToken(), r.getAuthLeaseDuration());
        }
        case TOKEN -> {
          String token = c.token(master, tenantId);
          LookupResponse r = auth(client(c, token), c).lookupSelf();
          int status = r.getRestResponse().getStatus();
          if (status != 200) {
            throw new VaultException("token lookup answered " + status, status);
          }
          return cached(token, r.getTTL());
        }
        default -> throw new IllegalStateException();
      }
    } catch (VaultException e) {
      VaultCallException classified = classify(e, "login");
      if (isNetwork(classified.step())
          || classified.step() == Step.TIMEOUT
          || classified.step() == Step.SERVER_ERROR) {
        throw classified;
      }
      throw new VaultCallException(
          Step.LOGIN,
          "Vault refused the "
              + c.authMethod().wire()
              + " login at auth/"
              + c.authMount()
              + (e.getHttpStatusCode() > 0 ? " (HTTP " + e.getHttpStatusCode() + ")" : "")
              + ": check the role and credentials",
          e);
    } catch (io.switchboard.crypto.DataCipher.CorruptCiphertextException
        | IllegalArgumentException e) {
      throw new VaultCallException(
          Step.LOGIN,
          "the stored Vault credential cannot be unsealed with this gateway's master key",
          e);
    }
  }

  static boolean isNetwork(Step step) {
    return step == Step.DNS || step == Step.CONNECT || step == Step.TLS;
  }

  private CachedToken cached(String token, long leaseSeconds) {
    if (token == null || token.isBlank()) {
      throw new VaultCallException(Step.LOGIN, "Vault's login answer held no token", null);
    }
    Duration useFor;
    if (leaseSeconds <= 0) {
      useFor = NON_EXPIRING_RECHECK;
    } else {
      Duration lease = Duration.ofSeconds(leaseSeconds);
      Duration margin = lease.dividedBy(5);
      useFor = lease.minus(margin.compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : margin);
    }
    return new CachedToken(token, Instant.now().plus(useFor));
  }

  private static String cacheKey(VaultConnection c, UUID tenantId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(c.toJson().encode().getBytes(StandardCharsets.UTF_8));
      return tenantId + ":" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- clients ----

  /** A driver client of its own (its config is mutable; never shared), on a shared HttpClient. */
  Vault client(VaultConnection c, String token) throws VaultException {
    VaultConfig cfg =
        new VaultConfig()
            .address(c.address())
            .openTimeout(seconds(options.connectTimeout()))
            .readTimeout(seconds(options.requestTimeout()))
            .prefixPathDepth(c.mountDepth())
            .engineVersion(2)
            .httpClient(httpClient(c.caPem()));
    if (token != null) {
      cfg.token(token);
    }
    cfg.build();
    Vault vault = Vault.create(cfg, 2);
    vault.withRetries(options.retries(), (int) options.retryInterval().toMillis());
    return vault;
  }

  /**
   * The namespace goes on each call ({@code X-Vault-Namespace}) rather than into the config, where
   * the driver logs a notice for every client it builds.
   */
  private static io.github.jopenlibs.vault.api.Logical logical(Vault vault, VaultConnection c) {
    var logical = vault.logical();
    return c.namespace() == null ? logical : logical.withNameSpace(c.namespace());
  }

  private static io.github.jopenlibs.vault.api.Auth auth(Vault vault, VaultConnection c) {
    var auth = vault.auth();
    return c.namespace() == null ? auth : auth.withNameSpace(c.namespace());
  }

  HttpClient httpClient(String caPem) {
    return httpClients.get(
        caPem == null ? "" : caPem,
        pem ->
            HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext(pem.isEmpty() ? null : pem))
                .build());
  }

  /** Trusts every certificate of the PEM (the driver's own PEM loader trusts only the first). */
  static SSLContext sslContext(String caPem) {
    try {
      if (caPem == null) {
        return SSLContext.getDefault();
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate cert :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8)))) {
        ks.setCertificateEntry("ca-" + i++, cert);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new VaultCallException(Step.TLS, "the connection's CA certificate is unusable", e);
    }
  }

  private static int seconds(Duration d) {
    return (int) Math.max(1, (d.toMillis() + 999) / 1000);
  }

  // ---- errors ----

  private static String body(LogicalResponse r) {
    byte[] b = r.getRestResponse().getBody();
    return b == null ? "" : new String(b, StandardCharsets.UTF_8);
  }

  private static VaultCallException failure(int status, String what, String body) {
    Step step = status >= 500 ? Step.SERVER_ERROR : Step.POLICY;
    String detail = errors(body);
    return new VaultCallException(
        step, "Vault answered HTTP " + status + " to the " + what + detail, null);
  }

  /** Vault's {@code errors} array, shortened; it never holds secret values. */
  private static String errors(String body) {
    try {
      var json = new io.vertx.core.json.JsonObject(body);
      var errs = json.getJsonArray("errors");
      if (errs == null || errs.isEmpty()) {
        return "";
      }
      String text = errs.encode();
      return ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** Names the step a driver exception failed at, from its cause chain or HTTP status. */
  static VaultCallException classify(VaultException e, String what) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return new VaultCallException(
            Step.DNS, "the Vault host name does not resolve (" + what + ")", e);
      }
      if (t instanceof HttpConnectTimeoutException
          || t instanceof ConnectException
          || t instanceof NoRouteToHostException) {
        return new VaultCallException(
            Step.CONNECT, "no TCP connection to Vault (" + what + "): " + t.getMessage(), e);
      }
      if (t instanceof SSLException) {
        return new VaultCallException(
            Step.TLS,
            "TLS with Vault failed (" + what + "): check the address scheme and CA certificate",
            e);
      }
      if (t instanceof HttpTimeoutException) {
        return new VaultCallException(
            Step.TIMEOUT, "Vault did not answer in time (" + what + ")", e);
      }
    }
    int status = e.getHttpStatusCode();
    if (status >= 500) {
      return new VaultCallException(
          Step.SERVER_ERROR, "Vault answered HTTP " + status + " (" + what + ")", e);
    }
    if (status > 0) {
      return new VaultCallException(
          Step.POLICY, "Vault answered HTTP " + status + " (" + what + ")", e);
    }
    return new VaultCallException(
        Step.CONNECT, "Vault could not be reached (" + what + "): " + rootMessage(e), e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }
}
