package io.switchboard.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Google's OAuth 2.0 token endpoint and the Admin SDK Directory API, on
 * 127.0.0.1, speaking their documented shapes. It is a test double, not Google.
 *
 * <p>Token endpoint ({@code POST /token}, JWT-bearer grant): verifies the assertion's RS256
 * signature with the service account's public key, its {@code aud}, {@code iat}/{@code exp} (at
 * most one hour), its scopes against the domain-wide delegation granted to the client id, and its
 * {@code sub} against the Workspace's administrators; errors are Google's: {@code invalid_grant}
 * (signature, subject, lifetime, audience), {@code unauthorized_client} (scopes not delegated).
 * Directory API ({@code /admin/directory/v1}): {@code users.list}, {@code groups.get}, {@code
 * members.list} with {@code pageToken} paging and Google's {@code maxResults} limits, bearer tokens
 * checked (expired → 401), Google's error body shape.
 *
 * <p>Faults: {@link #failNext} (e.g. 429 with Retry-After, 500, 503), {@link #failPage} (a 5xx on
 * the n-th page of a list), {@link #slow}, {@link #expireTokens}. Usage: {@code var google =
 * GoogleApiDouble.start(vertx); var key = google.serviceAccount("sync@p.iam.gserviceaccount.com");}
 */
public final class GoogleApiDouble implements AutoCloseable {
  public static final String AUDIENCE = "https://oauth2.googleapis.com/token";
  public static final String USER_SCOPE =
      "https://www.googleapis.com/auth/admin.directory.user.readonly";
  public static final String GROUP_SCOPE =
      "https://www.googleapis.com/auth/admin.directory.group.readonly";
  public static final String MEMBER_SCOPE =
      "https://www.googleapis.com/auth/admin.directory.group.member.readonly";
  public static final List<String> ALL_SCOPES = List.of(USER_SCOPE, GROUP_SCOPE, MEMBER_SCOPE);

  /** A service account: its JSON key (as the console downloads it) and its public key. */
  public record ServiceAccount(
      String clientEmail, String clientId, JsonObject keyJson, PublicKey publicKey) {}

  /** One request the double received (path, query, status answered, when). */
  public record Seen(String method, String path, String query, int status, Instant at) {}

  private record Fault(int status, Integer retryAfterSeconds) {}

  private record Issued(String subject, Set<String> scopes, Instant expiresAt) {}

  private final Vertx vertx;
  private HttpServer server;
  private final Map<String, ServiceAccount> accounts = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> delegated = new ConcurrentHashMap<>();
  private final Set<String> admins = ConcurrentHashMap.newKeySet();
  private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> users = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, JsonObject> groups = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, List<JsonObject>> members = new ConcurrentHashMap<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final Map<String, Fault> pageFaults = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokenExchanges = new AtomicInteger();
  private volatile long delayMillis;

  private GoogleApiDouble(Vertx vertx) {
    this.vertx = vertx;
  }

  public static GoogleApiDouble start(Vertx vertx) {
    GoogleApiDouble d = new GoogleApiDouble(vertx);
    Router router = Router.router(vertx);
    router.post("/token").handler(BodyHandler.create()).handler(d::token);
    router.get("/admin/directory/v1/users").handler(d::listUsers);
    router.get("/admin/directory/v1/groups/:groupKey").handler(d::getGroup);
    router.get("/admin/directory/v1/groups/:groupKey/members").handler(d::listMembers);
    d.server =
        TestGateway.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    return d;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Override
  public void close() {
    TestGateway.await(server.close());
  }

  // ---- set-up: accounts, delegation, administrators

  /** A new service account with a fresh 2048-bit RSA key, delegated all three scopes. */
  public ServiceAccount serviceAccount(String clientEmail) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      KeyPair pair = gen.generateKeyPair();
      String clientId = Long.toString(100000000000000000L + accounts.size());
      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(pair.getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n";
      JsonObject key =
          new JsonObject()
              .put("type", "service_account")
              .put("project_id", "switchboard-test")
              .put("private_key_id", UUID.randomUUID().toString().replace("-", ""))
              .put("private_key", pem)
              .put("client_email", clientEmail)
              .put("client_id", clientId)
              .put("auth_uri", "https://accounts.google.com/o/oauth2/auth")
              .put("token_uri", AUDIENCE);
      ServiceAccount sa = new ServiceAccount(clientEmail, clientId, key, pair.getPublic());
      accounts.put(clientEmail, sa);
      delegated.put(clientId, new HashSet<>(ALL_SCOPES));
      return sa;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The scopes domain-wide delegation grants the client id (Admin console → API controls). */
  public void delegate(String clientId, List<String> scopes) {
    delegated.put(clientId, new HashSet<>(scopes));
  }

  public void admin(String email) {
    admins.add(email.toLowerCase());
  }

  // ---- set-up: directory content

  public JsonObject addUser(String id, String email, String given, String family) {
    JsonObject u =
        new JsonObject()
            .put("kind", "admin#directory#user")
            .put("id", id)
            .put("primaryEmail", email)
            .put(
                "name",
                new JsonObject()
                    .put("givenName", given)
                    .put("familyName", family)
                    .put("fullName", given + " " + family))
            .put("isAdmin", false)
            .put("suspended", false)
            .put("archived", false)
            .put(
                "emails",
                new JsonArray().add(new JsonObject().put("address", email).put("primary", true)))
            .put("customerId", "C0test");
    users.put(id, u);
    return u;
  }

  public JsonObject user(String id) {
    return users.get(id);
  }

  public void removeUser(String id) {
    users.remove(id);
    members.values().forEach(list -> list.removeIf(m -> id.equals(m.getString("id"))));
  }

  public JsonObject addGroup(String id, String email, String name) {
    JsonObject g =
        new JsonObject()
            .put("kind", "admin#directory#group")
            .put("id", id)
            .put("email", email)
            .put("name", name)
            .put("directMembersCount", "0");
    groups.put(id, g);
    members.putIfAbsent(id, new CopyOnWriteArrayList<>());
    return g;
  }

  public void renameGroup(String id, String name) {
    groups.get(id).put("name", name);
  }

  /** Adds a member: {@code type} USER, GROUP or CUSTOMER (as members.list reports it). */
  public void addMember(String groupId, String memberId, String type) {
    String email =
        "USER".equals(type) && users.containsKey(memberId)
            ? users.get(memberId).getString("primaryEmail")
            : "GROUP".equals(type) && groups.containsKey(memberId)
                ? groups.get(memberId).getString("email")
                : null;
    JsonObject m =
        new JsonObject()
            .put("kind", "admin#directory#member")
            .put("id", memberId)
            .put("role", "MEMBER")
            .put("type", type)
            .put("status", "ACTIVE");
    if (email != null) {
      m.put("email", email);
    }
    members.get(groupId).add(m);
  }

  public void removeMember(String groupId, String memberId) {
    members.get(groupId).removeIf(m -> memberId.equals(m.getString("id")));
  }

  // ---- faults and observation

  /** The next {@code count} Directory API requests answer {@code status} (429: Retry-After). */
  public synchronized void failNext(int count, int status, Integer retryAfterSeconds) {
    for (int i = 0; i < count; i++) {
      faults.add(new Fault(status, retryAfterSeconds));
    }
  }

  /**
   * The first request for page {@code pageIndex} (0-based) of {@code path} answers {@code status}.
   */
  public void failPage(String path, int pageIndex, int status) {
    pageFaults.put(path + "#" + pageIndex, new Fault(status, null));
  }

  public synchronized void clearFaults() {
    faults.clear();
    pageFaults.clear();
  }

  public void slow(long millis) {
    this.delayMillis = millis;
  }

  /** Every issued access token expires now (the next Directory call gets 401). */
  public void expireTokens() {
    tokens.replaceAll((k, v) -> new Issued(v.subject(), v.scopes(), Instant.now().minusSeconds(1)));
  }

  public int tokenExchanges() {
    return tokenExchanges.get();
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  public List<Seen> seen(String pathPrefix) {
    return seen.stream().filter(s -> s.path().startsWith(pathPrefix)).toList();
  }

  public void clearSeen() {
    seen.clear();
  }

  // ---- token endpoint

  private void token(RoutingContext ctx) {
    tokenExchanges.incrementAndGet();
    String grant = ctx.request().getFormAttribute("grant_type");
    String assertion = ctx.request().getFormAttribute("assertion");
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(grant)) {
      tokenError(ctx, 400, "unsupported_grant_type", "Invalid grant_type: " + grant);
      return;
    }
    String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
    if (parts.length != 3) {
      tokenError(ctx, 400, "invalid_grant", "Invalid JWT: Malformed.");
      return;
    }
    JsonObject header;
    JsonObject claims;
    try {
      header =
          new JsonObject(
              new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      claims =
          new JsonObject(
              new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      tokenError(ctx, 400, "invalid_grant", "Invalid JWT: Malformed.");
      return;
    }
    ServiceAccount sa = accounts.get(String.valueOf(claims.getValue("iss")));
    if (!"RS256".equals(header.getString("alg")) || sa == null) {
      tokenError(ctx, 400, "invalid_grant", "Invalid grant: account not found");
      return;
    }
    try {
      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(sa.publicKey());
      v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!v.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        tokenError(ctx, 400, "invalid_grant", "Invalid JWT Signature.");
        return;
      }
    } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
      tokenError(ctx, 400, "invalid_grant", "Invalid JWT Signature.");
      return;
    }
    if (!AUDIENCE.equals(claims.getValue("aud"))) {
      tokenError(ctx, 400, "invalid_grant", "Invalid JWT: Failed audience check.");
      return;
    }
    long now = Instant.now().getEpochSecond();
    long iat = claims.getLong("iat", 0L);
    long exp = claims.getLong("exp", 0L);
    if (exp <= now || iat > now + 60 || exp - iat > 3600) {
      tokenError(
          ctx,
          400,
          "invalid_grant",
          "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable"
              + " timeframe. Check your iat and exp values in the JWT claim.");
      return;
    }
    Set<String> scopes = new HashSet<>(List.of(claims.getString("scope", "").split(" ")));
    Set<String> granted = delegated.getOrDefault(sa.clientId(), Set.of());
    if (!granted.containsAll(scopes)) {
      tokenError(
          ctx,
          401,
          "unauthorized_client",
          "Client is unauthorized to retrieve access tokens using this method, or client not"
              + " authorized for any of the scopes requested.");
      return;
    }
    String sub = claims.getString("sub");
    if (sub == null || !admins.contains(sub.toLowerCase())) {
      tokenError(ctx, 400, "invalid_grant", "Invalid email or User ID");
      return;
    }
    String token = "ya29.double-" + UUID.randomUUID();
    tokens.put(token, new Issued(sub, scopes, Instant.now().plusSeconds(3599)));
    json(
        ctx,
        200,
        new JsonObject()
            .put("access_token", token)
            .put("expires_in", 3599)
            .put("token_type", "Bearer"));
  }

  private void tokenError(RoutingContext ctx, int status, String error, String description) {
    json(ctx, status, new JsonObject().put("error", error).put("error_description", description));
  }

  // ---- directory API

  private void listUsers(RoutingContext ctx) {
    directory(
        ctx,
        USER_SCOPE,
        () -> {
          String customer = ctx.request().getParam("customer");
          String domain = ctx.request().getParam("domain");
          if (customer == null && domain == null) {
            apiError(ctx, 400, "badRequest", "Bad Request");
            return;
          }
          List<JsonObject> all;
          synchronized (users) {
            all = new ArrayList<>(users.values());
          }
          page(ctx, "/users", all, "users", "admin#directory#users", 500);
        });
  }

  private void getGroup(RoutingContext ctx) {
    directory(
        ctx,
        GROUP_SCOPE,
        () -> {
          JsonObject g = group(ctx.pathParam("groupKey"));
          if (g == null) {
            apiError(ctx, 404, "notFound", "Resource Not Found: groupKey");
            return;
          }
          json(ctx, 200, g);
        });
  }

  private void listMembers(RoutingContext ctx) {
    directory(
        ctx,
        MEMBER_SCOPE,
        () -> {
          JsonObject g = group(ctx.pathParam("groupKey"));
          if (g == null) {
            apiError(ctx, 404, "notFound", "Resource Not Found: groupKey");
            return;
          }
          page(
              ctx,
              "/groups/" + g.getString("id") + "/members",
              new ArrayList<>(members.get(g.getString("id"))),
              "members",
              "admin#directory#members",
              200);
        });
  }

  private JsonObject group(String key) {
    JsonObject byId = groups.get(key);
    if (byId != null) {
      return byId;
    }
    synchronized (groups) {
      return groups.values().stream()
          .filter(g -> key.equalsIgnoreCase(g.getString("email")))
          .findFirst()
          .orElse(null);
    }
  }

  private void directory(RoutingContext ctx, String scope, Runnable answer) {
    Runnable run =
        () -> {
          String auth = ctx.request().getHeader("Authorization");
          Issued issued =
              auth != null && auth.startsWith("Bearer ") ? tokens.get(auth.substring(7)) : null;
          if (issued == null || issued.expiresAt().isBefore(Instant.now())) {
            apiError(ctx, 401, "authError", "Invalid Credentials");
            return;
          }
          if (!issued.scopes().contains(scope)) {
            apiError(
                ctx,
                403,
                "insufficientPermissions",
                "Request had insufficient authentication scopes.");
            return;
          }
          Fault f;
          synchronized (this) {
            f = faults.poll();
          }
          if (f != null) {
            if (f.retryAfterSeconds() != null) {
              ctx.response().putHeader("Retry-After", f.retryAfterSeconds().toString());
            }
            apiError(
                ctx, f.status(), f.status() == 429 ? "rateLimitExceeded" : "backendError", "fault");
            return;
          }
          answer.run();
        };
    if (delayMillis > 0) {
      vertx.setTimer(delayMillis, id -> run.run());
    } else {
      run.run();
    }
  }

  private void page(
      RoutingContext ctx, String path, List<JsonObject> all, String field, String kind, int max) {
    int size;
    try {
      size = Integer.parseInt(ctx.request().getParam("maxResults", "100"));
    } catch (NumberFormatException e) {
      size = -1;
    }
    if (size < 1 || size > max) {
      apiError(ctx, 400, "invalid", "Invalid value for maxResults: " + size);
      return;
    }
    String token = ctx.request().getParam("pageToken");
    int offset =
        token == null
            ? 0
            : Integer.parseInt(
                new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
    int index = offset / size;
    Fault f = pageFaults.remove(path + "#" + index);
    if (f != null) {
      apiError(ctx, f.status(), "backendError", "Backend Error");
      return;
    }
    JsonArray items = new JsonArray();
    for (int i = offset; i < Math.min(all.size(), offset + size); i++) {
      items.add(all.get(i));
    }
    JsonObject body = new JsonObject().put("kind", kind).put("etag", "\"double\"");
    if (!items.isEmpty()) {
      body.put(field, items);
    }
    if (offset + size < all.size()) {
      body.put(
          "nextPageToken",
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(Integer.toString(offset + size).getBytes(StandardCharsets.UTF_8)));
    }
    json(ctx, 200, body);
  }

  private void apiError(RoutingContext ctx, int status, String reason, String message) {
    json(
        ctx,
        status,
        new JsonObject()
            .put(
                "error",
                new JsonObject()
                    .put("code", status)
                    .put("message", message)
                    .put(
                        "errors",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("message", message)
                                    .put("domain", "global")
                                    .put("reason", reason)))));
  }

  private void json(RoutingContext ctx, int status, JsonObject body) {
    seen.add(
        new Seen(
            ctx.request().method().name(),
            ctx.request().path(),
            ctx.request().query(),
            status,
            Instant.now()));
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=UTF-8")
        .end(body.encode());
  }
}
