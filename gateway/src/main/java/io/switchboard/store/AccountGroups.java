package io.switchboard.store;

import io.switchboard.crypto.DataCipher;
import io.switchboard.crypto.TenantKeys;
import io.switchboard.lifecycle.AccountLifecycle;
import io.switchboard.scim.ScimException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The downstream account's own groups ({@code account_groups}, V11_2), distinct from SCIM group
 * resources. Every SCIM group is bound to one account group; an account group with no SCIM group is
 * <em>unlinked</em>: registered by the operator (imported from the account), or kept after its SCIM
 * group was deleted under the {@code hardDelete: suspend} policy. A SCIM create whose displayName
 * has the blind index of an unlinked account group links to it (one upsert, so two concurrent
 * creates cannot both link), and the feed says {@code group.linked} instead of {@code
 * group.created}. A name is taken in a tenant while any account group has it, linked or not.
 *
 * <p>Called by {@link GroupStore} inside its writing transaction; tenant-admin uses {@link
 * #register} and {@link #list}.
 */
public final class AccountGroups {
  /** Origin of an account group: created through SCIM, or registered from the account. */
  public static final String SCIM = "scim";

  public static final String ACCOUNT = "account";

  private static final String AAD_KIND = "account-group-display";

  // Links to an unlinked group of the same name, else inserts; no row back when the name belongs
  // to a linked group (the caller's SCIM insert has already failed on it in every ordinary case).
  private static final String BIND =
      "insert into account_groups (tenant_id, id, name_idx, scim_group_id, origin, linked_at)"
          + " values ($1, $2, $3, $4, 'scim', now())"
          + " on conflict (tenant_id, name_idx) do update set scim_group_id = excluded.scim_group_id,"
          + " linked_at = now(), display_ct = null, key_version = null"
          + " where account_groups.scim_group_id is null"
          + " returning id, (xmax = 0) as inserted";
  private static final String RENAME =
      "update account_groups set name_idx = $3 where tenant_id = $1 and scim_group_id = $2"
          + " returning id";
  private static final String LOCK_BY_SCIM_GROUP =
      "select id from account_groups where tenant_id = $1 and scim_group_id = $2 for update";
  private static final String BY_SCIM_GROUP =
      "select id from account_groups where tenant_id = $1 and scim_group_id = $2";
  private static final String UNLINK =
      "update account_groups set scim_group_id = null, linked_at = null, display_ct = $3,"
          + " key_version = $4 where tenant_id = $1 and id = $2";
  private static final String ERASE = "delete from account_groups where tenant_id = $1 and id = $2";
  private static final String REGISTER =
      "insert into account_groups (tenant_id, id, name_idx, key_version, display_ct, origin)"
          + " values ($1, $2, $3, $4, $5, 'account') on conflict do nothing returning created_at";
  private static final String LIST =
      "select a.id, a.origin, a.created_at, a.linked_at, a.scim_group_id, a.display_ct,"
          + " g.version as g_version, g.display_ct as g_display, s.managed"
          + " from account_groups a"
          + " left join scim_groups g on g.tenant_id = a.tenant_id and g.id = a.scim_group_id"
          + " left join group_sync s on s.tenant_id = a.tenant_id and s.group_id = a.scim_group_id"
          + " where a.tenant_id = $1 order by a.created_at, a.id";

  private AccountGroups() {}

  /** The account group a SCIM group was bound to, and whether it existed before (linked). */
  record Binding(UUID accountGroupId, boolean linked) {}

  /** The blind index of a group name: the same as {@code scim_groups.display_idx}. */
  public static Buffer nameIndex(TenantKeys keys, String displayName) {
    return Buffer.buffer(keys.index().caseInsensitive("displayName", displayName));
  }

  /** Binds a new SCIM group: links an unlinked account group of that name, else creates one. */
  static Future<Binding> bind(SqlConnection conn, UUID tenant, UUID scimGroupId, Buffer nameIdx) {
    return conn.preparedQuery(BIND)
        .execute(Tuple.of(tenant, UUID.randomUUID(), nameIdx, scimGroupId))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(
                    ScimException.uniqueness("A group with this displayName already exists."));
              }
              Row row = rows.iterator().next();
              return Future.succeededFuture(
                  new Binding(row.getUUID("id"), !row.getBoolean("inserted")));
            });
  }

  /**
   * The account group follows its SCIM group's new name. A name an unlinked account group has is
   * taken: the statement fails on the unique index and the store answers 409.
   */
  static Future<Void> renamed(SqlConnection conn, UUID tenant, UUID scimGroupId, Buffer nameIdx) {
    return conn.preparedQuery(RENAME)
        .execute(Tuple.of(tenant, scimGroupId, nameIdx))
        .compose(
            rows ->
                rows.size() > 0
                    ? Future.succeededFuture()
                    : bind(conn, tenant, scimGroupId, nameIdx).mapEmpty());
  }

  /**
   * The SCIM group was deleted: its account group is kept unlinked, with its name encrypted (policy
   * {@code suspend}), or erased ({@code erase}). Empty if it had none.
   */
  static Future<Optional<UUID>> deleted(
      SqlConnection conn, TenantKeys keys, UUID scimGroupId, String displayName, boolean erase) {
    UUID tenant = keys.tenantId();
    return conn.preparedQuery(LOCK_BY_SCIM_GROUP)
        .execute(Tuple.of(tenant, scimGroupId))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(Optional.empty());
              }
              UUID id = rows.iterator().next().getUUID("id");
              Future<?> change =
                  erase
                      ? conn.preparedQuery(ERASE).execute(Tuple.of(tenant, id))
                      : conn.preparedQuery(UNLINK)
                          .execute(
                              Tuple.of(
                                  tenant,
                                  id,
                                  encryptName(keys, id, displayName),
                                  keys.cipher().currentVersion()));
              return change.map(Optional.of(id));
            });
  }

  /** The account group a SCIM group is bound to, if any. */
  public static Future<Optional<UUID>> of(SqlConnection conn, UUID tenant, UUID scimGroupId) {
    return conn.preparedQuery(BY_SCIM_GROUP)
        .execute(Tuple.of(tenant, scimGroupId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getUUID("id")));
  }

  /**
   * Registers a group the downstream account already has, unlinked (tenant-admin). Empty when the
   * name is taken by another account group, linked or not.
   */
  public static Future<Optional<JsonObject>> register(
      Database db, TenantKeys keys, String displayName) {
    UUID tenant = keys.tenantId();
    UUID id = UUID.randomUUID();
    return db.inTenant(
        tenant,
        conn ->
            conn.preparedQuery(REGISTER)
                .execute(
                    Tuple.of(
                        tenant,
                        id,
                        nameIndex(keys, displayName),
                        keys.cipher().currentVersion(),
                        encryptName(keys, id, displayName)))
                .map(
                    rows ->
                        rows.size() == 0
                            ? Optional.<JsonObject>empty()
                            : Optional.of(
                                new JsonObject()
                                    .put("id", id.toString())
                                    .put("displayName", displayName)
                                    .put("scimGroupId", null)
                                    .put("managed", null)
                                    .put("origin", ACCOUNT)
                                    .put(
                                        "createdAt",
                                        rows.iterator()
                                            .next()
                                            .getOffsetDateTime("created_at")
                                            .toInstant()
                                            .toString())
                                    .put("linkedAt", null))));
  }

  /**
   * Every account group of the tenant, oldest first: {@code id}, {@code displayName}, {@code
   * scimGroupId} (null while unlinked), {@code managed} (the linked SCIM group's managed state;
   * null while unlinked), {@code origin}, {@code createdAt}, {@code linkedAt}.
   */
  public static Future<JsonArray> list(Database db, TenantKeys keys) {
    UUID tenant = keys.tenantId();
    return db.inTenant(
        tenant,
        conn ->
            conn.preparedQuery(LIST)
                .execute(Tuple.of(tenant))
                .map(
                    rows -> {
                      JsonArray out = new JsonArray();
                      for (Row row : rows) {
                        UUID id = row.getUUID("id");
                        UUID scimGroup = row.getUUID("scim_group_id");
                        String name =
                            scimGroup == null
                                ? decryptName(keys, id, row.getBuffer("display_ct"))
                                : ResourceCodec.display(
                                    keys,
                                    ResourceKind.GROUP,
                                    scimGroup,
                                    row.getLong("g_version"),
                                    row.getBuffer("g_display"));
                        Boolean managed = row.getBoolean("managed");
                        out.add(
                            new JsonObject()
                                .put("id", id.toString())
                                .put("displayName", name)
                                .put("scimGroupId", scimGroup == null ? null : scimGroup.toString())
                                .put(
                                    "managed",
                                    scimGroup == null ? null : managed == null || managed)
                                .put("origin", row.getString("origin"))
                                .put("createdAt", str(row.getOffsetDateTime("created_at")))
                                .put("linkedAt", str(row.getOffsetDateTime("linked_at"))));
                      }
                      return out;
                    }));
  }

  static Buffer encryptName(TenantKeys keys, UUID id, String displayName) {
    return Buffer.buffer(
        keys.cipher()
            .encrypt(
                displayName.getBytes(StandardCharsets.UTF_8),
                DataCipher.aad(keys.tenantId(), AAD_KIND, id, 0)));
  }

  static String decryptName(TenantKeys keys, UUID id, Buffer ciphertext) {
    return new String(
        keys.cipher()
            .decrypt(ciphertext.getBytes(), DataCipher.aad(keys.tenantId(), AAD_KIND, id, 0)),
        StandardCharsets.UTF_8);
  }

  private static String str(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  /** Whether the tenant erases account groups with their SCIM group (hardDelete: erase). */
  static Future<Boolean> eraseOnDelete(SqlConnection conn, UUID tenant) {
    return AccountLifecycle.policy(conn, tenant).map(p -> p.eraseOnDelete());
  }
}
