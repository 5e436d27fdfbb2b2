package io.switchboard.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.crypto.TenantKeys;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads a tenant's feed in seq order after a cursor, decrypting each payload. */
public final class FeedReader {
  static final String AFTER =
      "select event_id, seq, event_type, resource_type, resource_id, resource_version,"
          + " payload_ct, request_id, created_at from provisioning_events"
          + " where tenant_id = $1 and seq > $2 order by seq limit $3";

  private FeedReader() {}

  /**
   * Up to {@code limit} events with seq greater than {@code after}, in a tenant transaction. The
   * tenant's committed events are sequenced first, so a reader sees every change committed before
   * it asked (read-your-writes across instances).
   */
  public static Future<List<FeedEvent>> after(
      SqlConnection conn, TenantKeys keys, long after, int limit) {
    return lastSeq(conn, keys.tenantId())
        .compose(last -> conn.preparedQuery(AFTER).execute(Tuple.of(keys.tenantId(), after, limit)))
        .map(
            rows -> {
              List<FeedEvent> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                out.add(decode(keys, row));
              }
              return out;
            });
  }

  /** The tenant's latest seq (0 before its first event), after sequencing what is committed. */
  public static Future<Long> lastSeq(SqlConnection conn, UUID tenantId) {
    return conn.preparedQuery(FeedSequencer.SEQUENCE)
        .execute(Tuple.of(tenantId, FeedSequencer.BATCH))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  static FeedEvent decode(TenantKeys keys, Row row) {
    String type = row.getString("event_type");
    UUID resourceId = row.getUUID("resource_id");
    long version = row.getLong("resource_version");
    ObjectNode envelope =
        EventCodec.decrypt(keys, type, resourceId, version, row.getBuffer("payload_ct").getBytes());
    ObjectNode data = envelope.deepCopy();
    data.remove(List.of("type", "resourceType", "id", "version"));
    return new FeedEvent(
        row.getLong("event_id"),
        row.getLong("seq"),
        keys.tenantId(),
        type,
        row.getString("resource_type"),
        resourceId,
        version,
        row.getOffsetDateTime("created_at").toInstant(),
        row.getString("request_id"),
        data);
  }
}
