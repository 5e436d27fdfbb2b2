package io.switchboard.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.crypto.TenantKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;

/**
 * Appends an event to a tenant's change feed inside the transaction that makes the change. The
 * event gets its place in the feed (seq) after commit, from {@link FeedSequencer} ({@code
 * sb_sequence_feed}, V12_2): writers of one tenant share no lock, so they commit in parallel, and
 * the feed stays gap-free and in causal order. A reader always sequences before it reads.
 *
 * <p>Usage: {@code FeedWriter.append(conn, keys, requestId, new NewEvent("user.suspended", ...))}.
 */
public final class FeedWriter {
  static final String APPEND =
      "insert into provisioning_events (tenant_id, event_type, resource_type, resource_id,"
          + " resource_version, key_version, payload_ct, request_id)"
          + " values ($1, $2, $3, $4, $5, $6, $7, $8)";

  // One transaction-scoped advisory lock per tenant (the key space is this class's alone).
  static final String LOCK_WRITERS =
      "select count(*) from (select pg_advisory_xact_lock(hashtextextended('sb-feed-writers:' || $1::uuid::text, 0))) l";

  // Connections whose transaction appended an event, so Database can have the feed sequenced
  // as soon as it commits. Weak: a connection used outside Database.inTenant leaks nothing.
  private static final Map<SqlConnection, UUID> APPENDED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private FeedWriter() {}

  /**
   * Serialises, per tenant, the writers that read lifecycle state ({@code group_sync}, {@code
   * accounts}) before deciding what to record: group writes, managed-groups reconciliation and the
   * confirmer. Taken first in their transactions, so none can deadlock with another; user writes do
   * not take it (their own rows' locks order them).
   */
  public static Future<Void> lockWriters(SqlConnection conn, UUID tenantId) {
    return conn.preparedQuery(LOCK_WRITERS).execute(Tuple.of(tenantId)).mapEmpty();
  }

  /** The tenant whose events this connection's transaction appended, forgetting it; or null. */
  public static UUID takeAppended(SqlConnection conn) {
    return APPENDED.remove(conn);
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
    APPENDED.put(conn, keys.tenantId());
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
