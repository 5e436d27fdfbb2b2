package io.switchboard.feed;

import io.switchboard.crypto.TenantKeys;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each tenant's feed to its webhook endpoints: at least once, in seq order per endpoint,
 * signed ({@link WebhookSignature}), with the event id as idempotency key.
 *
 * <p>Each lane claims one endpoint with work (function {@code sb_claim_webhook}: {@code FOR UPDATE
 * SKIP LOCKED}) and keeps its row locked while it sends, in the same transaction that then moves
 * the endpoint's cursor. Any number of workers on any number of instances can run against one
 * database: an endpoint is served by at most one of them at a time, so an event is never sent twice
 * concurrently and events leave in order. A crash between the receiver's 2xx and the commit means
 * the event is sent again later, with the same idempotency key.
 *
 * <p>Failure (non-2xx, timeout, connection error): the endpoint backs off exponentially with jitter
 * ({@code base · 2^(attempt-1)}, capped, then a random half of that added to the other half); after
 * {@code maxAttempts} the event is dead-lettered (visible in tenant-admin, manually redeliverable)
 * and the endpoint moves on to the next event.
 *
 * <p>Usage: {@code DeliveryWorker.start(vertx, db, keyring, DeliveryWorker.Options.DEFAULTS)}.
 */
public final class DeliveryWorker {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final String CLAIM = "select tenant_id, id from sb_claim_webhook()";
  private static final String SET_TENANT = "select set_config('app.tenant_id', $1, true)";
  private static final String ENDPOINT =
      "select url, secret_ct, delivered_seq, attempts from webhook_endpoints"
          + " where tenant_id = $1 and id = $2";
  private static final String NEXT_REDELIVERY =
      "select seq, attempts from webhook_deliveries where tenant_id = $1 and endpoint_id = $2"
          + " and status = 'redeliver' order by seq limit 1";
  private static final String ONE_EVENT =
      "select event_id, seq, event_type, resource_type, resource_id, resource_version,"
          + " payload_ct, request_id, created_at from provisioning_events"
          + " where tenant_id = $1 and seq = $2";
  private static final String DROP_REDELIVERY =
      "delete from webhook_deliveries where tenant_id = $1 and endpoint_id = $2 and seq = $3"
          + " and status = 'redeliver'";
  private static final String ADVANCE =
      "update webhook_endpoints set delivered_seq = $3, attempts = 0, next_attempt_at = now(),"
          + " last_error = $4 where tenant_id = $1 and id = $2";
  private static final String BACK_OFF =
      "update webhook_endpoints set attempts = $3,"
          + " next_attempt_at = now() + make_interval(secs => $4::float8 / 1000), last_error = $5"
          + " where tenant_id = $1 and id = $2";
  private static final String RECORD =
      "insert into webhook_deliveries (tenant_id, endpoint_id, seq, status, attempts,"
          + " last_status_code, last_error) values ($1, $2, $3, $4, $5, $6, $7)"
          + " on conflict (tenant_id, endpoint_id, seq) do update set status = excluded.status,"
          + " attempts = excluded.attempts, last_status_code = excluded.last_status_code,"
          + " last_error = excluded.last_error, updated_at = now()";

  /**
   * @param lanes endpoints served at once by this worker (each holds a connection while sending)
   * @param poll how long an idle lane waits before looking for work again
   * @param timeout per request, connect and idle; a receiver slower than this is a failure
   * @param backoffBase first retry delay (before jitter)
   * @param backoffCap largest retry delay
   * @param maxAttempts attempts per event before it is dead-lettered
   * @param batch events sent per claim, in order, while the receiver keeps accepting
   */
  public record Options(
      int lanes,
      Duration poll,
      Duration timeout,
      Duration backoffBase,
      Duration backoffCap,
      int maxAttempts,
      int batch) {
    public static final Options DEFAULTS =
        new Options(
            4,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Duration.ofHours(1),
            18,
            20);

    /** Delay before attempt {@code attempt + 1}: exponential, capped, "equal jitter". */
    public Duration backoff(int attempt) {
      long base = backoffBase.toMillis();
      long exp = base << Math.min(Math.max(attempt - 1, 0), 30);
      long capped = Math.min(exp <= 0 ? Long.MAX_VALUE : exp, backoffCap.toMillis());
      long half = capped / 2;
      return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
  }

  private final Vertx vertx;
  private final Database db;
  private final TenantKeyring keyring;
  private final Options options;
  private final HttpClient http;
  private final WebhookTargets targets;
  private final AtomicBoolean running = new AtomicBoolean(true);

  private DeliveryWorker(
      Vertx vertx, Database db, TenantKeyring keyring, Options options, WebhookTargets targets) {
    this.vertx = vertx;
    this.db = db;
    this.keyring = keyring;
    this.options = options;
    this.targets = targets;
    // core client, not WebClient: each request connects to the address its URL was checked at
    // (RequestOptions.setServer), and redirects are never followed
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) options.timeout().toMillis())
                .setIdleTimeout((int) options.timeout().toSeconds() + 1)
                .setForceSni(true));
  }

  /**
   * Starts {@code options.lanes()} lanes on {@code db} (give it a pool of at least that many),
   * sending only to URLs {@code targets} accepts at the time of each delivery.
   */
  public static DeliveryWorker start(
      Vertx vertx, Database db, TenantKeyring keyring, Options options, WebhookTargets targets) {
    DeliveryWorker worker = new DeliveryWorker(vertx, db, keyring, options, targets);
    for (int i = 0; i < options.lanes(); i++) {
      vertx.runOnContext(v -> worker.lane());
    }
    return worker;
  }

  private void lane() {
    if (!running.get()) {
      return;
    }
    claimAndDeliver()
        .onComplete(
            r -> {
              if (r.failed()) {
                LOG.warn("webhook delivery pass failed: {}", r.cause().toString());
              }
              if (r.succeeded() && r.result()) {
                vertx.runOnContext(v -> lane());
              } else if (running.get()) {
                vertx.setTimer(options.poll().toMillis(), t -> lane());
              }
            });
  }

  /** Claims one endpoint with due work and serves it; false when there was nothing to do. */
  Future<Boolean> claimAndDeliver() {
    return db.pool()
        .withTransaction(
            conn ->
                conn.preparedQuery(CLAIM)
                    .execute()
                    .compose(
                        rows -> {
                          if (rows.size() == 0) {
                            return Future.succeededFuture(false);
                          }
                          Row claimed = rows.iterator().next();
                          UUID tenant = claimed.getUUID("tenant_id");
                          UUID endpoint = claimed.getUUID("id");
                          return conn.preparedQuery(SET_TENANT)
                              .execute(Tuple.of(tenant.toString()))
                              .compose(v -> serve(conn, tenant, endpoint))
                              .map(true);
                        }));
  }

  private Future<Void> serve(SqlConnection conn, UUID tenant, UUID endpoint) {
    return conn.preparedQuery(ENDPOINT)
        .execute(Tuple.of(tenant, endpoint))
        .map(rows -> rows.iterator().next())
        .compose(
            row ->
                keyring
                    .keys(tenant)
                    .transform(
                        keys -> {
                          if (keys.failed()) {
                            // the tenant's key store is down: back off like a failed delivery,
                            // and commit that, so this endpoint is not claimed again at once
                            LOG.warn(
                                "webhook {} of tenant {}: keys unavailable ({})",
                                endpoint,
                                tenant,
                                keys.cause().toString());
                            return backOff(
                                conn,
                                tenant,
                                endpoint,
                                row.getInteger("attempts") + 1,
                                "keys_unavailable");
                          }
                          return serve(conn, tenant, endpoint, row, keys.result());
                        }));
  }

  private Future<Void> serve(
      SqlConnection conn, UUID tenant, UUID endpoint, Row row, TenantKeys keys) {
    String secret =
        new String(
            keys.cipher()
                .decrypt(row.getBuffer("secret_ct").getBytes(), Webhooks.secretAad(keys, endpoint)),
            StandardCharsets.UTF_8);
    Target target = new Target(tenant, endpoint, row.getString("url"), secret, keys);
    return conn.preparedQuery(NEXT_REDELIVERY)
        .execute(Tuple.of(tenant, endpoint))
        .compose(
            redeliveries -> {
              if (redeliveries.size() > 0) {
                Row r = redeliveries.iterator().next();
                return redeliver(conn, target, r.getLong("seq"), r.getInteger("attempts"));
              }
              return deliverInOrder(
                  conn,
                  target,
                  row.getLong("delivered_seq"),
                  row.getInteger("attempts"),
                  options.batch());
            });
  }

  private record Target(UUID tenant, UUID endpoint, String url, String secret, TenantKeys keys) {}

  /** Sends events after {@code cursor} one by one while they succeed, up to {@code budget}. */
  private Future<Void> deliverInOrder(
      SqlConnection conn, Target target, long cursor, int attempts, int budget) {
    if (budget == 0) {
      return Future.succeededFuture();
    }
    return FeedReader.after(conn, target.keys(), cursor, 1)
        .compose(
            events -> {
              if (events.isEmpty()) {
                return Future.succeededFuture();
              }
              FeedEvent event = events.get(0);
              int attempt = attempts + 1;
              return send(target, event, attempt)
                  .compose(
                      outcome -> {
                        if (outcome.ok()) {
                          Future<?> record =
                              attempt > 1
                                  ? record(conn, target, event.seq(), "delivered", attempt, outcome)
                                  : Future.succeededFuture();
                          return record
                              .compose(
                                  v ->
                                      conn.preparedQuery(ADVANCE)
                                          .execute(
                                              Tuple.of(
                                                  target.tenant(),
                                                  target.endpoint(),
                                                  event.seq(),
                                                  null)))
                              .compose(
                                  v -> deliverInOrder(conn, target, event.seq(), 0, budget - 1));
                        }
                        if (attempt >= options.maxAttempts()) {
                          LOG.warn(
                              "webhook {} of tenant {}: event {} dead-lettered after {} attempts",
                              target.endpoint(),
                              target.tenant(),
                              event.seq(),
                              attempt);
                          return record(conn, target, event.seq(), "dead_letter", attempt, outcome)
                              .compose(
                                  v ->
                                      conn.preparedQuery(ADVANCE)
                                          .execute(
                                              Tuple.of(
                                                  target.tenant(),
                                                  target.endpoint(),
                                                  event.seq(),
                                                  outcome.error())))
                              .mapEmpty();
                        }
                        return backOff(
                            conn, target.tenant(), target.endpoint(), attempt, outcome.error());
                      });
            });
  }

  private Future<Void> redeliver(SqlConnection conn, Target target, long seq, int attempts) {
    return conn.preparedQuery(ONE_EVENT)
        .execute(Tuple.of(target.tenant(), seq))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                // pruned by the feed retention while the redelivery was being queued: nothing
                // left to send, and a stuck row would hold the retention back for good
                return conn.preparedQuery(DROP_REDELIVERY)
                    .execute(Tuple.of(target.tenant(), target.endpoint(), seq))
                    .<Void>mapEmpty();
              }
              FeedEvent event = FeedReader.decode(target.keys(), rows.iterator().next());
              int attempt = attempts + 1;
              return send(target, event, attempt)
                  .compose(
                      outcome -> {
                        if (outcome.ok()) {
                          return record(conn, target, seq, "delivered", attempt, outcome);
                        }
                        if (attempt >= options.maxAttempts()) {
                          return record(conn, target, seq, "dead_letter", attempt, outcome);
                        }
                        return record(conn, target, seq, "redeliver", attempt, outcome)
                            .compose(
                                v ->
                                    backOff(
                                        conn,
                                        target.tenant(),
                                        target.endpoint(),
                                        attempt,
                                        outcome.error()));
                      });
            });
  }

  private Future<Void> record(
      SqlConnection conn, Target target, long seq, String status, int attempts, Outcome outcome) {
    return conn.preparedQuery(RECORD)
        .execute(
            Tuple.from(
                new Object[] {
                  target.tenant(),
                  target.endpoint(),
                  seq,
                  status,
                  attempts,
                  outcome.status(),
                  outcome.error()
                }))
        .mapEmpty();
  }

  private Future<Void> backOff(
      SqlConnection conn, UUID tenant, UUID endpoint, int attempts, String error) {
    return conn.preparedQuery(BACK_OFF)
        .execute(Tuple.of(tenant, endpoint, attempts, options.backoff(attempts).toMillis(), error))
        .mapEmpty();
  }

  /** What one HTTP attempt came to: status (null without a response) and an error code. */
  private record Outcome(boolean ok, Integer status, String error) {}

  private Future<Outcome> send(Target target, FeedEvent event, int attempt) {
    byte[] body = ScimJson.write(event.toJson());
    String signature = WebhookSignature.sign(target.secret(), Instant.now(), body);
    // checked again now, not only at registration: the host's addresses may have changed
    return targets
        .check(target.url())
        .compose(
            address -> {
              java.net.URI uri = java.net.URI.create(target.url());
              int port =
                  uri.getPort() >= 0
                      ? uri.getPort()
                      : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
              RequestOptions request =
                  new RequestOptions()
                      .setMethod(HttpMethod.POST)
                      .setAbsoluteURI(target.url())
                      .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                      .setConnectTimeout(options.timeout().toMillis())
                      .setIdleTimeout(options.timeout().toMillis())
                      .setFollowRedirects(false)
                      .putHeader("User-Agent", "Switchboard-Webhooks/1")
                      .putHeader("Content-Type", "application/json")
                      .putHeader(WebhookSignature.HEADER, signature)
                      .putHeader("Idempotency-Key", String.valueOf(event.id()))
                      .putHeader("Switchboard-Event-Id", String.valueOf(event.id()))
                      .putHeader("Switchboard-Event-Type", event.type())
                      .putHeader("Switchboard-Event-Seq", String.valueOf(event.seq()))
                      .putHeader("Switchboard-Delivery-Attempt", String.valueOf(attempt));
              return http.request(request)
                  .compose(req -> req.send(Buffer.buffer(body)))
                  .compose(r -> r.body().map(b -> outcome(r.statusCode())));
            })
        .recover(
            e ->
                Future.succeededFuture(
                    e instanceof WebhookTargets.Refused refused
                        ? new Outcome(false, null, "refused: " + refused.code())
                        : new Outcome(false, null, errorCode(e))));
  }

  private static Outcome outcome(int status) {
    boolean ok = status >= 200 && status < 300;
    return new Outcome(ok, status, ok ? null : "http_" + status);
  }

  private static String errorCode(Throwable e) {
    String name = e.getClass().getSimpleName();
    if (e instanceof java.util.concurrent.TimeoutException
        || name.contains("Timeout")
        || String.valueOf(e.getMessage()).contains("timeout")) {
      return "timeout";
    }
    return "connection: " + name;
  }

  public Future<Void> stop() {
    running.set(false);
    http.close();
    return Future.succeededFuture();
  }
}
