package io.switchboard.bench;

import io.switchboard.migrations.DatabaseUrl;
import io.switchboard.store.Database;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The floor: the least a server on this machine and this database can do for each scenario. One
 * prepared statement per request on the owner role (no row-level security, no tenant setting), no
 * SCIM parsing, no authentication, no crypto; the same tables and rows as the gateway. Layout as
 * RLS-COST.md found best on 2 cores: one verticle per event loop, each with its own pool of 2.
 *
 * <p>Routes ({@code t} is a tenant id): {@code GET /floor/t/users/{id}} primary-key select; {@code
 * GET /floor/t/by-username/{k}} indexed select on the k-th stored username index; {@code POST
 * /floor/t/users} insert; {@code PUT /floor/t/users/own} update of a row the floor inserted; {@code
 * PATCH /floor/t/groups/{id}} with {@code {"add":[ids]}} or {@code {"remove":[ids]}} membership set
 * change; {@code POST /floor/t/prepare} loads the tenant's username indexes.
 */
public final class FloorServer extends VerticleBase {
  private static final String SELECT_PK =
      "select id, version, resource_ct, created_at, updated_at from scim_users"
          + " where tenant_id = $1 and id = $2";
  private static final String SELECT_BY_USERNAME =
      "select id, version, resource_ct, created_at, updated_at from scim_users"
          + " where tenant_id = $1 and username_idx = $2";
  private static final String INSERT =
      "insert into scim_users (tenant_id, id, version, key_version, username_idx, resource_ct,"
          + " created_at, updated_at) values ($1, $2, 1, 1, $3, $4, now(), now())";
  private static final String UPDATE =
      "update scim_users set version = version + 1, resource_ct = $3, updated_at = now()"
          + " where tenant_id = $1 and id = $2";
  private static final String ADD_MEMBERS =
      "insert into group_members (tenant_id, group_id, member_id, member_type)"
          + " select $1, $2, m, 'User' from unnest($3::uuid[]) m on conflict do nothing";
  private static final String REMOVE_MEMBERS =
      "delete from group_members where tenant_id = $1 and group_id = $2"
          + " and member_id = any($3::uuid[])";
  private static final String USERNAMES =
      "select username_idx from scim_users where tenant_id = $1 order by id";

  private static final Map<UUID, List<Buffer>> USERNAME_INDEXES = new ConcurrentHashMap<>();

  /**
   * Rows this floor inserted, per tenant. The floor updates only these: it cannot produce the
   * gateway's ciphertext, so rewriting a gateway row would leave it unreadable for the gateway.
   */
  private static final Map<UUID, List<UUID>> OWN_ROWS = new ConcurrentHashMap<>();

  private final DatabaseUrl url;
  private final int port;
  private Pool pool;

  private FloorServer(DatabaseUrl url, int port) {
    this.url = url;
    this.port = port;
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("logback.configurationFile", "bench-logback.xml");
    ParentWatch.exitWithParent();
    DatabaseUrl parsed = DatabaseUrl.parse(args[0]);
    DatabaseUrl url =
        parsed.password() == null ? parsed.withCredentials(parsed.user(), "") : parsed;
    int loops = Integer.parseInt(args.length > 1 ? args[1] : "2");
    int port = FreePort.free();
    Vertx vertx = Vertx.vertx();
    vertx
        .deployVerticle(
            () -> new FloorServer(url, port), new DeploymentOptions().setInstances(loops))
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    System.out.println(
        ChildJvm.READY
            + new JsonObject()
                .put("port", port)
                .put("pid", ProcessHandle.current().pid())
                .encode());
    System.out.flush();
  }

  @Override
  public Future<?> start() {
    pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(2))
            .connectingTo(Database.connectOptions(url))
            .using(vertx)
            .build();
    return vertx
        .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .requestHandler(this::handle)
        .listen();
  }

  private void handle(HttpServerRequest req) {
    String[] p = req.path().split("/");
    // "", "floor", tenant, kind, [arg]
    if (p.length < 4 || !"floor".equals(p[1])) {
      req.response().setStatusCode(404).end();
      return;
    }
    UUID tenant = UUID.fromString(p[2]);
    String kind = p[3];
    HttpMethod m = req.method();
    Future<Buffer> work;
    if (m == HttpMethod.GET && "users".equals(kind)) {
      work = one(SELECT_PK, Tuple.of(tenant, UUID.fromString(p[4])));
    } else if (m == HttpMethod.GET && "by-username".equals(kind)) {
      List<Buffer> idx = USERNAME_INDEXES.get(tenant);
      Buffer value = idx.get(Integer.parseInt(p[4]) % idx.size());
      work = one(SELECT_BY_USERNAME, Tuple.of(tenant, value));
    } else if (m == HttpMethod.POST && "users".equals(kind)) {
      UUID id = UUID.randomUUID();
      work =
          req.body()
              .compose(
                  ignored ->
                      pool.preparedQuery(INSERT)
                          .execute(Tuple.of(tenant, id, random(32), random(600))))
              .map(
                  rows -> {
                    OWN_ROWS.computeIfAbsent(tenant, k -> new CopyOnWriteArrayList<>()).add(id);
                    return Buffer.buffer(id.toString());
                  });
    } else if (m == HttpMethod.PUT && "users".equals(kind)) {
      // PUT /floor/t/users/own: one of the rows this floor inserted into t, at random
      List<UUID> own = OWN_ROWS.getOrDefault(tenant, List.of());
      if (own.isEmpty()) {
        req.response().setStatusCode(404).end("no rows of this floor in " + tenant);
        return;
      }
      UUID id = own.get(ThreadLocalRandom.current().nextInt(own.size()));
      work =
          req.body()
              .compose(
                  ignored -> pool.preparedQuery(UPDATE).execute(Tuple.of(tenant, id, random(600))))
              .map(rows -> Buffer.buffer(Integer.toString(rows.rowCount())));
    } else if (m == HttpMethod.PATCH && "groups".equals(kind)) {
      UUID group = UUID.fromString(p[4]);
      work =
          req.body()
              .compose(
                  body -> {
                    JsonObject o = body.toJsonObject();
                    boolean add = o.containsKey("add");
                    JsonArray ids = add ? o.getJsonArray("add") : o.getJsonArray("remove");
                    UUID[] members = new UUID[ids.size()];
                    for (int i = 0; i < members.length; i++) {
                      members[i] = UUID.fromString(ids.getString(i));
                    }
                    return pool.preparedQuery(add ? ADD_MEMBERS : REMOVE_MEMBERS)
                        .execute(Tuple.of(tenant, group, members));
                  })
              .map(rows -> Buffer.buffer(Integer.toString(rows.rowCount())));
    } else if (m == HttpMethod.POST && "prepare".equals(kind)) {
      work =
          pool.preparedQuery(USERNAMES)
              .execute(Tuple.of(tenant))
              .map(
                  rows -> {
                    List<Buffer> list = new CopyOnWriteArrayList<>();
                    for (Row r : rows) {
                      list.add(r.getBuffer(0));
                    }
                    USERNAME_INDEXES.put(tenant, list);
                    return Buffer.buffer(Integer.toString(list.size()));
                  });
    } else {
      req.response().setStatusCode(404).end();
      return;
    }
    work.onSuccess(
            body -> {
              if (body == null) {
                req.response().setStatusCode(404).end();
              } else {
                req.response().setStatusCode(m == HttpMethod.POST ? 201 : 200).end(body);
              }
            })
        .onFailure(e -> req.response().setStatusCode(500).end(String.valueOf(e.getMessage())));
  }

  private Future<Buffer> one(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBuffer("resource_ct"));
  }

  private static Buffer random(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return Buffer.buffer(b);
  }
}
