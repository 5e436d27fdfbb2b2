package io.switchboard.feed;

import io.switchboard.crypto.DataCipher;
import io.switchboard.crypto.TenantKeys;
import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's webhook endpoints and their delivery records. The signing secret is generated here,
 * returned once by {@link #create} and stored only as ciphertext under the tenant's data key.
 *
 * <p>Usage: {@code webhooks.create(tenantId, url, description, fromStart)}.
 */
public final class Webhooks {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COLUMNS =
      "e.id, e.url, e.description, e.status, e.delivered_seq, e.attempts, e.next_attempt_at,"
          + " e.last_error, e.created_at,"
          + " (select count(*) from webhook_deliveries d where d.tenant_id = e.tenant_id"
          + "   and d.endpoint_id = e.id and d.status = 'dead_letter') as dead_letters,"
          + " coalesce((select c.last_seq from feed_counters c where c.tenant_id = e.tenant_id), 0)"
          + "   as last_seq";
  private static final String INSERT =
      "insert into webhook_endpoints (tenant_id, id, url, description, secret_ct, key_version,"
          + " delivered_seq) values ($1, $2, $3, $4, $5, $6, $7)";
  private static final String LIST =
      "select "
          + COLUMNS
          + " from webhook_endpoints e where e.tenant_id = $1 order by e.created_at";
  private static final String ONE =
      "select " + COLUMNS + " from webhook_endpoints e where e.tenant_id = $1 and e.id = $2";
  private static final String DELETE =
      "delete from webhook_endpoints where tenant_id = $1 and id = $2";
  private static final String DELIVERIES =
      "select seq, status, attempts, last_status_code, last_error, updated_at"
          + " from webhook_deliveries where tenant_id = $1 and endpoint_id = $2"
          + " and ($3::text is null or status = $3) order by seq desc limit $4";
  private static final String REDELIVER =
      "insert into webhook_deliveries (tenant_id, endpoint_id, seq, status, attempts)"
          + " select $1, $2, $3, 'redeliver', 0 from webhook_endpoints e"
          + " where e.tenant_id = $1 and e.id = $2 and $3 <= e.delivered_seq"
          + " and exists (select 1 from provisioning_events p where p.tenant_id = $1 and p.seq = $3)"
          + " on conflict (tenant_id, endpoint_id, seq) do update set status = 'redeliver',"
          + " attempts = 0, updated_at = now()";

  private final Database db;
  private final TenantKeyring keyring;
  private final WebhookTargets targets;

  public Webhooks(Database db, TenantKeyring keyring, WebhookTargets targets) {
    this.db = db;
    this.keyring = keyring;
    this.targets = targets;
  }

  /** A new endpoint and its secret (the only time the secret is revealed). */
  public record Created(JsonObject endpoint, String secret) {}

  /**
   * Registers {@code url}. It receives events after the tenant's current position, or the whole
   * feed when {@code fromStart}. Fails with {@link WebhookTargets.Refused} for a URL webhooks may
   * not be sent to.
   */
  public Future<Created> create(UUID tenantId, String url, String description, boolean fromStart) {
    UUID id = UUID.randomUUID();
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    return targets
        .admit(url)
        .compose(v -> keyring.keys(tenantId))
        .compose(
            keys ->
                db.inTenant(
                    tenantId,
                    conn ->
                        // "from the start" is from the oldest event retention kept
                        (fromStart
                                ? FeedRetention.prunedSeq(conn, tenantId)
                                : FeedReader.lastSeq(conn, tenantId))
                            .compose(
                                last ->
                                    conn.preparedQuery(INSERT)
                                        .execute(
                                            Tuple.from(
                                                new Object[] {
                                                  tenantId,
                                                  id,
                                                  url,
                                                  description == null ? "" : description,
                                                  Buffer.buffer(
                                                      keys.cipher()
                                                          .encrypt(
                                                              secret.getBytes(
                                                                  StandardCharsets.UTF_8),
                                                              secretAad(keys, id))),
                                                  keys.cipher().currentVersion(),
                                                  last
                                                })))
                            .compose(v -> conn.preparedQuery(ONE).execute(Tuple.of(tenantId, id)))
                            .map(rows -> new Created(json(rows.iterator().next()), secret))));
  }

  public Future<JsonArray> list(UUID tenantId) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(LIST)
                .execute(Tuple.of(tenantId))
                .map(
                    rows -> {
                      JsonArray out = new JsonArray();
                      rows.forEach(r -> out.add(json(r)));
                      return out;
                    }));
  }

  public Future<Optional<JsonObject>> get(UUID tenantId, UUID id) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(ONE)
                .execute(Tuple.of(tenantId, id))
                .map(
                    rows ->
                        rows.size() == 0
                            ? Optional.empty()
                            : Optional.of(json(rows.iterator().next()))));
  }

  public Future<Boolean> delete(UUID tenantId, UUID id) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(DELETE)
                .execute(Tuple.of(tenantId, id))
                .map(rows -> rows.rowCount() > 0));
  }

  /** Delivery records, newest first; {@code status} filters (delivered, dead_letter, redeliver). */
  public Future<JsonArray> deliveries(UUID tenantId, UUID id, String status, int limit) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(DELIVERIES)
                .execute(Tuple.of(tenantId, id, status, limit))
                .map(
                    rows -> {
                      JsonArray out = new JsonArray();
                      for (Row r : rows) {
                        out.add(
                            new JsonObject()
                                .put("seq", r.getLong("seq"))
                                .put("status", r.getString("status"))
                                .put("attempts", r.getInteger("attempts"))
                                .put("lastStatusCode", r.getInteger("last_status_code"))
                                .put("lastError", r.getString("last_error"))
                                .put(
                                    "updatedAt",
                                    r.getOffsetDateTime("updated_at").toInstant().toString()));
                      }
                      return out;
                    }));
  }

  /**
   * Queues event {@code seq} for another delivery to the endpoint (a dead letter, or an event the
   * receiver lost). False when the endpoint has not reached that event yet or it does not exist.
   */
  public Future<Boolean> redeliver(UUID tenantId, UUID id, long seq) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(REDELIVER)
                .execute(Tuple.of(tenantId, id, seq))
                .map(rows -> rows.rowCount() > 0));
  }

  static byte[] secretAad(TenantKeys keys, UUID endpointId) {
    return DataCipher.aad(keys.tenantId(), "webhook-secret", endpointId, 1);
  }

  private static JsonObject json(Row r) {
    return new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("url", r.getString("url"))
        .put("description", r.getString("description"))
        .put("status", r.getString("status"))
        .put("deliveredSeq", r.getLong("delivered_seq"))
        .put("lastSeq", r.getLong("last_seq"))
        .put("attempts", r.getInteger("attempts"))
        .put("nextAttemptAt", r.getOffsetDateTime("next_attempt_at").toInstant().toString())
        .put("lastError", r.getString("last_error"))
        .put("deadLetters", r.getLong("dead_letters"))
        .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString());
  }
}
