package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The SCIM 2.0 calls the bench makes to seed and to drive scenarios, shaped as RFC 7643/7644 say
 * (and as Entra ID sends them): user and group documents, {@code filter=userName eq "…"}, PATCH
 * member add/remove, Bulk.
 *
 * <p>Usage: {@code Scim scim = new Scim(client); scim.createUser(token, Scim.user("alice"))}.
 */
final class Scim {
  static final String BASE = "/scim/v2";
  static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  static final String BULK_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

  private final HttpClientAgent client;
  private Boolean bulk;
  private int bulkMax = 100;

  Scim(HttpClientAgent client) {
    this.client = client;
  }

  /** A user as an IdP sends it (about 600 bytes of JSON). */
  static JsonObject user(String userName, String externalId) {
    String given = "Given" + Math.abs(userName.hashCode() % 997);
    String family = "Family" + Math.abs(userName.hashCode() % 991);
    return new JsonObject()
        .put("schemas", new JsonArray().add(USER_SCHEMA))
        .put("userName", userName)
        .put("externalId", externalId)
        .put("active", true)
        .put("displayName", given + " " + family)
        .put(
            "name",
            new JsonObject()
                .put("givenName", given)
                .put("familyName", family)
                .put("formatted", given + " " + family))
        .put(
            "emails",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("value", userName)
                        .put("type", "work")
                        .put("primary", true)))
        .put("title", "Engineer")
        .put("preferredLanguage", "en-GB")
        .put("locale", "en-GB")
        .put("timezone", "Europe/London");
  }

  static JsonObject group(String displayName) {
    return new JsonObject()
        .put("schemas", new JsonArray().add(GROUP_SCHEMA))
        .put("displayName", displayName)
        .put("externalId", "ext-" + displayName);
  }

  static String filterUserName(String userName) {
    return BASE + "/Users?filter=" + encode("userName eq \"" + userName + "\"");
  }

  static String filterDisplayName(String name) {
    return BASE + "/Groups?filter=" + encode("displayName eq \"" + name + "\"");
  }

  /** RFC 7644 §3.5.2: PATCH add of members. */
  static JsonObject addMembers(List<String> ids) {
    return patch("add", ids);
  }

  /**
   * Removal as Entra ID sends it: op remove, path members, a value list (RFC 7644 §3.5.2.2 allows a
   * filter path too; Entra and Okta send the value form).
   */
  static JsonObject removeMembers(List<String> ids) {
    return patch("remove", ids);
  }

  private static JsonObject patch(String op, List<String> ids) {
    JsonArray value = new JsonArray();
    for (String id : ids) {
      value.add(new JsonObject().put("value", id));
    }
    return new JsonObject()
        .put("schemas", new JsonArray().add(PATCH_SCHEMA))
        .put(
            "Operations",
            new JsonArray()
                .add(new JsonObject().put("op", op).put("path", "members").put("value", value)));
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Future<Load.Resp> call(HttpMethod m, String uri, String token, JsonObject body) {
    return Load.call(
        client, new Load.Req(m, uri, token, body == null ? null : body.toBuffer(), 200, 299));
  }

  /** Calls and insists on a 2xx answer, returning the body as JSON (empty for 204). */
  Future<JsonObject> ok(HttpMethod m, String uri, String token, JsonObject body) {
    return call(m, uri, token, body)
        .compose(
            r -> {
              if (r.status() < 200 || r.status() > 299) {
                return Future.failedFuture(
                    new IllegalStateException(
                        m + " " + uri + " answered " + r.status() + ": " + r.body()));
              }
              Buffer b = r.body();
              return Future.succeededFuture(
                  b == null || b.length() == 0 ? new JsonObject() : b.toJsonObject());
            });
  }

  Future<String> createUser(String token, JsonObject user) {
    return ok(HttpMethod.POST, BASE + "/Users", token, user).map(j -> j.getString("id"));
  }

  Future<String> createGroup(String token, JsonObject group) {
    return ok(HttpMethod.POST, BASE + "/Groups", token, group).map(j -> j.getString("id"));
  }

  Future<JsonObject> patchGroup(String token, String groupId, JsonObject patch) {
    return ok(HttpMethod.PATCH, BASE + "/Groups/" + groupId, token, patch);
  }

  /**
   * Creates users and returns their ids in order: through /Bulk when the gateway advertises it (RFC
   * 7644 §3.7), else one POST each, {@code concurrency} at a time.
   */
  Future<List<String>> createUsers(String token, List<JsonObject> users, int concurrency) {
    return bulkSupported(token)
        .compose(
            bulkOk -> {
              String[] ids = new String[users.size()];
              if (!bulkOk) {
                return parallel(
                        concurrency,
                        users.size(),
                        i -> createUser(token, users.get(i)).map(id -> ids[i] = id).mapEmpty())
                    .map(v -> List.of(ids));
              }
              int chunks = (users.size() + bulkMax - 1) / bulkMax;
              return parallel(
                      Math.max(1, Math.min(concurrency / 4, 4)),
                      chunks,
                      c -> bulkChunk(token, users, c * bulkMax, ids))
                  .map(v -> List.of(ids));
            });
  }

  private Future<Void> bulkChunk(String token, List<JsonObject> users, int from, String[] ids) {
    int to = Math.min(users.size(), from + bulkMax);
    JsonArray ops = new JsonArray();
    for (int i = from; i < to; i++) {
      ops.add(
          new JsonObject()
              .put("method", "POST")
              .put("bulkId", "u" + i)
              .put("path", "/Users")
              .put("data", users.get(i)));
    }
    JsonObject req =
        new JsonObject()
            .put("schemas", new JsonArray().add(BULK_SCHEMA))
            .put("failOnErrors", 1)
            .put("Operations", ops);
    return ok(HttpMethod.POST, BASE + "/Bulk", token, req)
        .compose(
            resp -> {
              JsonArray results = resp.getJsonArray("Operations", new JsonArray());
              for (int k = 0; k < results.size(); k++) {
                JsonObject r = results.getJsonObject(k);
                String status = String.valueOf(r.getValue("status"));
                String bulkId = r.getString("bulkId");
                if (!status.startsWith("2") || bulkId == null) {
                  return Future.failedFuture(
                      new IllegalStateException("bulk create failed: " + r.encode()));
                }
                String location = r.getString("location");
                String id = location.substring(location.lastIndexOf('/') + 1);
                ids[Integer.parseInt(bulkId.substring(1))] = id;
              }
              for (int i = from; i < to; i++) {
                if (ids[i] == null) {
                  return Future.failedFuture(
                      new IllegalStateException("bulk response lacks user " + i));
                }
              }
              return Future.<Void>succeededFuture();
            });
  }

  private Future<Boolean> bulkSupported(String token) {
    if (bulk != null) {
      return Future.succeededFuture(bulk);
    }
    return call(HttpMethod.GET, BASE + "/ServiceProviderConfig", token, null)
        .map(
            r -> {
              boolean supported = false;
              if (r.status() == 200) {
                JsonObject b = r.body().toJsonObject().getJsonObject("bulk", new JsonObject());
                supported = Boolean.TRUE.equals(b.getBoolean("supported"));
                int max = b.getInteger("maxOperations", 100);
                bulkMax = Math.max(1, Math.min(max, 500));
              }
              bulk = supported && !"false".equals(System.getenv("BENCH_BULK"));
              return bulk;
            });
  }

  boolean usesBulk() {
    return Boolean.TRUE.equals(bulk);
  }

  /** Runs {@code task(0..n-1)} with at most {@code concurrency} in flight; fails on the first. */
  static Future<Void> parallel(int concurrency, int n, IntFunction<Future<Void>> task) {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int l = 0; l < Math.min(concurrency, n); l++) {
      lanes.add(lane(next, n, task));
    }
    return Future.all(lanes).mapEmpty();
  }

  private static Future<Void> lane(AtomicInteger next, int n, IntFunction<Future<Void>> task) {
    int i = next.getAndIncrement();
    if (i >= n) {
      return Future.succeededFuture();
    }
    return task.apply(i).compose(v -> lane(next, n, task));
  }
}
