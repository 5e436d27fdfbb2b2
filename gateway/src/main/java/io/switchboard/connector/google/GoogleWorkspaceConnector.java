package io.switchboard.connector.google;

import io.switchboard.connector.ConnectionCheck;
import io.switchboard.connector.Connector;
import io.switchboard.connector.ConnectorException;
import io.switchboard.connector.SourceKind;
import io.switchboard.connector.SourceSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Google Workspace through the Admin SDK Directory API, with a service account that has domain-wide
 * delegation. Reads the selected groups ({@code groups.get}), their members ({@code members.list},
 * nested groups expanded with cycle detection) and the customer's users ({@code users.list}), and
 * maps them: {@code primaryEmail} → {@code userName}, {@code name} → {@code name}/{@code
 * displayName}, {@code emails}, {@code suspended} or {@code archived} → {@code active=false}, the
 * Google id → {@code externalId}.
 *
 * <p>Usage: {@code GoogleWorkspaceConnector.create(vertx, GoogleEndpoints.GOOGLE)}.
 */
public final class GoogleWorkspaceConnector implements Connector {
  private final Vertx vertx;
  private final GoogleEndpoints endpoints;
  private final WebClient http;
  private final GoogleTokenSource tokens;

  private GoogleWorkspaceConnector(Vertx vertx, GoogleEndpoints endpoints, Clock clock) {
    this.vertx = vertx;
    this.endpoints = endpoints;
    this.http =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout(10_000)
                .setUserAgent("switchboard-google-connector")
                .setKeepAlive(true));
    this.tokens = new GoogleTokenSource(http, endpoints, clock);
  }

  public static GoogleWorkspaceConnector create(Vertx vertx, GoogleEndpoints endpoints) {
    return new GoogleWorkspaceConnector(vertx, endpoints, Clock.systemUTC());
  }

  @Override
  public SourceKind kind() {
    return SourceKind.GOOGLE_WORKSPACE;
  }

  @Override
  public void validate(JsonObject document) {
    GoogleWorkspaceSettings.parse(document);
  }

  @Override
  public JsonObject describe(JsonObject document) {
    return GoogleWorkspaceSettings.describe(document);
  }

  public void close() {
    http.close();
  }

  @Override
  public Future<SourceSnapshot> fetch(String tenantKey, JsonObject document) {
    GoogleWorkspaceSettings settings;
    try {
      settings = GoogleWorkspaceSettings.parse(document);
    } catch (ConnectorException e) {
      return Future.failedFuture(e);
    }
    GoogleDirectoryClient api = client(tenantKey, settings);
    if (settings.groups().isEmpty()) {
      return listUsers(api, settings)
          .map(users -> new SourceSnapshot(users.stream().map(this::user).toList(), List.of()));
    }
    List<Read> reads = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String key : settings.groups()) {
      chain =
          chain.compose(
              v ->
                  selectedGroup(api, key)
                      .compose(
                          group ->
                              expand(api, group.getString("id"))
                                  .map(
                                      expansion -> {
                                        reads.add(new Read(group, expansion));
                                        return null;
                                      })));
    }
    return chain.compose(
        v ->
            listUsers(api, settings)
                .map(
                    all -> {
                      boolean wholeCustomer = reads.stream().anyMatch(r -> r.members.wholeCustomer);
                      Set<String> inScope = new HashSet<>();
                      reads.forEach(r -> inScope.addAll(r.members.userIds));
                      List<SourceSnapshot.User> users = new ArrayList<>();
                      Set<String> everyone = new LinkedHashSet<>();
                      for (JsonObject u : all) {
                        everyone.add(u.getString("id"));
                        if (wholeCustomer || inScope.contains(u.getString("id"))) {
                          users.add(user(u));
                        }
                      }
                      List<SourceSnapshot.Group> groups = new ArrayList<>();
                      for (Read r : reads) {
                        // a group holding "everyone in the customer" (type CUSTOMER) holds them all
                        Set<String> members =
                            r.members.wholeCustomer ? everyone : r.members.userIds;
                        groups.add(
                            new SourceSnapshot.Group(
                                r.group.getString("id"), displayName(r.group), members));
                      }
                      return new SourceSnapshot(users, groups);
                    }));
  }

  private record Read(JsonObject group, Expansion members) {}

  @Override
  public Future<ConnectionCheck> test(String tenantKey, JsonObject document) {
    List<ConnectionCheck.Step> steps = new ArrayList<>();
    GoogleWorkspaceSettings settings;
    try {
      settings = GoogleWorkspaceSettings.parse(document);
    } catch (ConnectorException e) {
      String step = ConnectorException.KEY_FORMAT.equals(e.code()) ? "key" : "settings";
      steps.add(ConnectionCheck.Step.failed(step, e));
      return Future.succeededFuture(new ConnectionCheck(steps));
    }
    steps.add(
        ConnectionCheck.Step.passed(
            "key",
            "The service account key is well formed (key id "
                + settings.key().privateKeyId()
                + ")."));
    String cacheKey = "test:" + tenantKey;
    tokens.invalidate(cacheKey, settings.key(), settings.adminSubject());
    GoogleDirectoryClient api = client(cacheKey, settings);
    Future<Boolean> run =
        tokens
            .token(cacheKey, settings.key(), settings.adminSubject())
            .map(
                t -> {
                  steps.add(
                      ConnectionCheck.Step.passed(
                          "token",
                          "Google issued an access token for the admin subject with the three"
                              + " readonly scopes."));
                  return true;
                })
            .recover(e -> fail(steps, "token", e))
            .compose(
                ok ->
                    !ok
                        ? Future.succeededFuture(false)
                        : api.listSome("/users", scope(settings), "users", 1)
                            .map(
                                u -> {
                                  steps.add(
                                      ConnectionCheck.Step.passed(
                                          "users", "users.list answered for the customer."));
                                  return true;
                                })
                            .recover(e -> fail(steps, "users", e)));
    for (String key : settings.groups()) {
      run =
          run.compose(
              ok ->
                  !ok
                      ? Future.succeededFuture(false)
                      : selectedGroup(api, key)
                          .compose(
                              g ->
                                  api.listSome(
                                          "/groups/"
                                              + GoogleDirectoryClient.segment(g.getString("id"))
                                              + "/members",
                                          Map.of(),
                                          "members",
                                          1)
                                      .map(
                                          m -> {
                                            steps.add(
                                                ConnectionCheck.Step.passed(
                                                    "group:" + key,
                                                    "The group exists and its members can be"
                                                        + " listed."));
                                            return true;
                                          }))
                          .recover(e -> fail(steps, "group:" + key, e)));
    }
    return run.map(ok -> new ConnectionCheck(steps));
  }

  private static Future<Boolean> fail(List<ConnectionCheck.Step> steps, String step, Throwable e) {
    ConnectorException ce =
        e instanceof ConnectorException c
            ? c
            : new ConnectorException(
                ConnectorException.SOURCE_UNAVAILABLE,
                "Unexpected failure (" + e.getClass().getSimpleName() + ").");
    steps.add(ConnectionCheck.Step.failed(step, ce));
    return Future.succeededFuture(false);
  }

  private GoogleDirectoryClient client(String cacheKey, GoogleWorkspaceSettings settings) {
    GoogleDirectoryClient.Tokens t =
        fresh -> {
          if (fresh) {
            tokens.invalidate(cacheKey, settings.key(), settings.adminSubject());
          }
          return tokens.token(cacheKey, settings.key(), settings.adminSubject());
        };
    return new GoogleDirectoryClient(vertx, http, endpoints, t);
  }

  private static Map<String, String> scope(GoogleWorkspaceSettings s) {
    return s.domain() != null && s.customerId() == null
        ? Map.of("domain", s.domain())
        : Map.of("customer", s.customerId());
  }

  private Future<List<JsonObject>> listUsers(
      GoogleDirectoryClient api, GoogleWorkspaceSettings settings) {
    Map<String, String> q = new HashMap<>(scope(settings));
    q.put("projection", "basic");
    return api.listAll("/users", q, "users", GoogleDirectoryClient.USERS_PAGE);
  }

  private Future<JsonObject> selectedGroup(GoogleDirectoryClient api, String key) {
    return api.get("/groups/" + GoogleDirectoryClient.segment(key))
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof GoogleDirectoryClient.NotFound
                        ? new ConnectorException(
                            ConnectorException.GROUP_NOT_FOUND,
                            "The selected group '"
                                + key
                                + "' does not exist in this Workspace (groups.get answered 404).")
                        : e));
  }

  private record Expansion(Set<String> userIds, boolean wholeCustomer) {}

  /** Users of a group, through every level of nesting, each group read once. */
  private Future<Expansion> expand(GoogleDirectoryClient api, String rootId) {
    Set<String> users = new LinkedHashSet<>();
    Set<String> seen = new HashSet<>();
    Deque<String> queue = new ArrayDeque<>();
    queue.add(rootId);
    seen.add(rootId);
    boolean[] customer = {false};
    return drain(api, queue, seen, users, customer).map(v -> new Expansion(users, customer[0]));
  }

  private Future<Void> drain(
      GoogleDirectoryClient api,
      Deque<String> queue,
      Set<String> seen,
      Set<String> users,
      boolean[] customer) {
    String groupId = queue.poll();
    if (groupId == null) {
      return Future.succeededFuture();
    }
    return api.listAll(
            "/groups/" + GoogleDirectoryClient.segment(groupId) + "/members",
            Map.of(),
            "members",
            GoogleDirectoryClient.MEMBERS_PAGE)
        .recover(
            e ->
                e instanceof GoogleDirectoryClient.NotFound
                    // a nested group deleted while we read: nothing to add
                    ? Future.succeededFuture(List.of())
                    : Future.failedFuture(e))
        .compose(
            members -> {
              for (JsonObject m : members) {
                String type = m.getString("type", "USER");
                String id = m.getString("id");
                switch (type) {
                  case "USER" -> {
                    if (id != null) {
                      users.add(id);
                    }
                  }
                  case "GROUP" -> {
                    if (id != null && seen.add(id)) {
                      queue.add(id);
                    }
                  }
                  case "CUSTOMER" -> customer[0] = true;
                  default -> {
                    // unknown member kinds are not people we can provision
                  }
                }
              }
              return drain(api, queue, seen, users, customer);
            });
  }

  private SourceSnapshot.User user(JsonObject u) {
    JsonObject name = u.getJsonObject("name", new JsonObject());
    String primary = u.getString("primaryEmail");
    List<String> emails = new ArrayList<>();
    emails.add(primary);
    JsonArray all = u.getValue("emails") instanceof JsonArray a ? a : new JsonArray();
    for (Object o : all) {
      if (o instanceof JsonObject e
          && e.getValue("address") instanceof String address
          && !address.equalsIgnoreCase(primary)
          && !emails.contains(address)) {
        emails.add(address);
      }
    }
    boolean suspended =
        Boolean.TRUE.equals(u.getValue("suspended")) || Boolean.TRUE.equals(u.getValue("archived"));
    return new SourceSnapshot.User(
        u.getString("id"),
        primary,
        name.getString("givenName"),
        name.getString("familyName"),
        name.getString("fullName"),
        emails,
        !suspended);
  }

  private static String displayName(JsonObject group) {
    String name = group.getString("name");
    return name == null || name.isBlank() ? group.getString("email") : name;
  }
}
