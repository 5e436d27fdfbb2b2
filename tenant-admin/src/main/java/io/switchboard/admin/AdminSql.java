package io.switchboard.admin;

/** Every SQL statement tenant-admin runs, in one place; every value a bind parameter. */
final class AdminSql {
  private AdminSql() {}

  static final String ORG_COLUMNS =
      "id, slug, name, status, idp_profile, session_store, vault, settings, created_at,"
          + " updated_at";

  static final String ORG_BY_ID = "select " + ORG_COLUMNS + " from tenants where id = $1";

  /** $1 status, $2 idp profile, $3/$4 cursor (created_at, id), $5 only this org, $6 limit. */
  static final String LIST_ORGS =
      "select "
          + ORG_COLUMNS
          + " from tenants where ($1::text is null or status = $1)"
          + " and ($2::text is null or idp_profile = $2)"
          + " and ($3::timestamptz is null or (created_at, id) > ($3, $4::uuid))"
          + " and ($5::uuid is null or id = $5)"
          + " order by created_at, id limit $6";

  static final String UPDATE_ORG =
      "update tenants set name = coalesce($2, name), idp_profile = coalesce($3, idp_profile),"
          + " settings = $4, vault = coalesce($5, vault), updated_at = now()"
          + " where id = $1 and status <> 'deleting'";

  static final String AUDIT =
      "insert into audit_log (tenant_id, actor, action, target, request_id, details)"
          + " values ($1, $2, $3, $4, $5, $6)";

  static final String OPERATOR_AUDIT =
      "insert into operator_audit (actor, action, target, request_id, details)"
          + " values ($1, $2, $3, $4, $5)";

  /** $1 before this audit id (or null), $2 limit. */
  static final String LIST_OPERATOR_AUDIT =
      "select audit_id, at, actor, action, target, request_id, details from operator_audit"
          + " where ($1::bigint is null or audit_id < $1) order by audit_id desc limit $2";

  /** Within the tenant: $1 before this audit id (or null), $2 limit. */
  static final String LIST_AUDIT =
      "select audit_id, at, actor, action, target, request_id, details from audit_log"
          + " where ($1::bigint is null or audit_id < $1) order by audit_id desc limit $2";

  static final String LIST_TOKENS =
      "select token_id, label, created_at, last_used_at, expires_at, revoked_at, replaced_by"
          + " from bearer_tokens where tenant_id = $1 order by created_at desc, token_id";

  static final String LIST_ADMIN_KEYS =
      "select key_id, scope, label, created_at, last_used_at, revoked_at from admin_keys"
          + " order by created_at, key_id";

  static final String REVOKE_ADMIN_KEY =
      "update admin_keys set revoked_at = now() where key_id = $1 and revoked_at is null";

  // ---- deletion (crypto-shred) ----

  static final String MARK_DELETING =
      "update tenants set status = 'deleting', updated_at = now() where id = $1"
          + " and status <> 'deleting' returning slug, session_store, vault";

  static final String REVOKE_ALL_TOKENS =
      "update bearer_tokens set revoked_at = now() where tenant_id = $1 and revoked_at is null"
          + " returning token_id";

  static final String COUNT_TENANT_ROWS =
      "select (select count(*) from scim_users) as users,"
          + " (select count(*) from scim_groups) as groups,"
          + " (select count(*) from group_members) as memberships,"
          + " (select count(*) from provisioning_events) as events,"
          + " (select count(*) from bearer_tokens) as tokens,"
          + " (select count(*) from audit_log) as audit";

  static final String RECORD_DELETION =
      "insert into tenant_deletions (id, slug, requested_by, request_id, deleted)"
          + " values ($1, $2, $3, $4, $5) on conflict (id) do nothing";

  static final String DELETING_TENANTS =
      "select id, session_store, vault from tenants where status = 'deleting'";

  /** Batched removal, child tables first; run in the tenant's scope until nothing is left. */
  static final String[] PURGE_BATCHES = {
    "delete from group_members where ctid in (select ctid from group_members limit 5000)",
    "delete from scim_user_emails where ctid in (select ctid from scim_user_emails limit 5000)",
    "delete from provisioning_events where ctid in"
        + " (select ctid from provisioning_events limit 5000)",
    "delete from account_groups where ctid in (select ctid from account_groups limit 5000)",
    "delete from scim_groups where ctid in (select ctid from scim_groups limit 5000)",
    "delete from scim_users where ctid in (select ctid from scim_users limit 5000)",
    "delete from audit_log where ctid in (select ctid from audit_log limit 5000)",
    "delete from bearer_tokens where ctid in (select ctid from bearer_tokens limit 5000)",
  };

  static final String DELETE_TENANT = "delete from tenants where id = $1 and status = 'deleting'";

  static final String COMPLETE_DELETION =
      "update tenant_deletions set completed_at = now() where id = $1";

  // ---- fleet ----

  static final String ORGS_BY_STATUS = "select status, count(*) as n from tenants group by status";

  /** Needs fleet scope (tenant_activity's row-level security). $1 limit. */
  static final String FLEET_ORGS =
      "select t.id, t.slug, t.name, t.status, t.created_at,"
          + " coalesce(a.requests, 0) as requests, coalesce(a.errors, 0) as errors,"
          + " a.last_request_at, a.last_write_at,"
          + " c.source_kind, c.last_status as sync_status, c.last_finished_at as sync_finished_at,"
          + " c.last_duration_ms as sync_duration_ms, c.last_counts as sync_counts,"
          + " c.last_error_code as sync_error"
          + " from tenants t left join connectors c on c.tenant_id = t.id left join ("
          + "   select tenant_id,"
          + "     sum(requests) filter (where minute >= now() - interval '5 minutes') as requests,"
          + "     sum(errors) filter (where minute >= now() - interval '5 minutes') as errors,"
          + "     max(last_request_at) as last_request_at, max(last_write_at) as last_write_at"
          + "   from tenant_activity group by tenant_id) a on a.tenant_id = t.id"
          + " order by coalesce(a.requests, 0) desc, t.created_at, t.id limit $1";
}
