package io.switchboard.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.crypto.TenantKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Appends an event to a tenant's change feed inside the transaction that makes the change. The
 * event's seq comes from the tenant's row in {@code feed_counters}, bumped by the same statement:
 * gap-free (a rollback takes its numbers back) and visible in seq order (the row stays locked until
 * the writer commits). See V7_2__change_feed.sql.
 *
 * <p>Usage: {@code FeedWriter.append(conn, keys, requestId, Event.of("user.suspended", ...))}.
 */
public final class FeedWriter {
  static final String APPEND =
      "with c as (insert into feed_counters (tenant_id, last_seq) values ($1, 1)"
          + " on conflict (tenant_id) do update set last_seq = feed_counters.last_seq + 1"
          + " returning last_seq)"
          + " insert into provisioning_events (tenant_id, seq, event_type, resource_type,"
          + " resource_id, resource_version, key_version, payload_ct, request_id)"
          + " select $1, c.last_seq, $2, $3, $4, $5, $6, $7, $8 from c";

  static final String LOCK_COUNTER =
      "insert into feed_counters (tenant_id, last_seq) values ($1, 0)"
          + " on conflict (tenant_id) do update set last_seq = feed_counters.last_seq";

  private FeedWriter() {}

  /**
   * Takes the tenant's feed lock now rather than at the first event. Writers that read lifecycle
   * state ({@code group_sync}, {@code accounts}) before deciding what to record do this first, so
   * every writer takes the counter before those rows and none can deadlock with another.
   */
  public static Future<Void> lockCounter(SqlConnection conn, UUID tenantId) {
    return conn.preparedQuery(LOCK_COUNTER).execute(Tuple.of(tenantId)).mapEmpty();
  }

  /** A change to record: {@code type} such as {@code user.invited}; the payload is encrypted. */
  public record NewEvent(
      String type, String resourceType, UUID resourceId, long version, ObjectNode payload) {}

  public static Future<Void> append(
      SqlConnection conn, TenantKeys keys, String requestId, NewEvent event) {
    ObjectNode envelope = EventCodec.envelope(event);
    Buffer ct =
        Buffer.buffer(
            EventCodec.encrypt(keys, event.type(), event.resourceId(), event.version(), envelope));
    return conn.preparedQuery(APPEND)
        .execute(
            Tuple.from(
                new Object[] {
                  keys.tenantId(),
                  event.type(),
                  event.resourceType(),
                  event.resourceId(),
                  event.version(),
                  keys.cipher().currentVersion(),
                  ct,
                  requestId
                }))
        .mapEmpty();
  }
}
