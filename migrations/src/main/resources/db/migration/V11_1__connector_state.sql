-- Pull connectors (issue 11): where a tenant's directory comes from, when it is synced, and how
-- the last sync went.
--
-- Nothing here is a secret or personal data. The connector's credentials (a Google service
-- account key, the admin it impersonates, the customer id, the selected groups) live beside the
-- tenant's scimsession in the customer's own Vault (or the local dev directory), never in this
-- database. The columns below hold a kind, a schedule, counts, short error codes with fixed
-- messages, and a lease.

-- One row per tenant that has ever been configured; no row means 'scim-push'. Tenant-owned, so
-- row-level security applies; the scheduler finds due tenants across tenants only through
-- sb_due_connectors (ids, nothing else), and tenant-admin's fleet view reads the last sync of
-- every tenant in its declared fleet scope (app.scope = 'fleet', read only). The lease makes one instance at a time run a tenant's
-- sync.
create table connectors (
  tenant_id         uuid primary key references tenants (id) on delete cascade,
  source_kind       text not null default 'scim-push'
                      check (source_kind in ('scim-push', 'google-workspace')),
  interval_seconds  integer not null default 3600 check (interval_seconds between 60 and 604800),
  -- what happens to a user who left every selected group (or the source): suspend or delete
  removal_policy    text not null default 'suspend' check (removal_policy in ('suspend', 'delete')),
  -- bumped on every change of settings or credentials (the credentials themselves are elsewhere)
  config_version    bigint not null default 1,
  next_run_at       timestamptz,
  lease_owner       text,
  lease_until       timestamptz,
  last_started_at   timestamptz,
  last_finished_at  timestamptz,
  last_status       text not null default 'never'
                      check (last_status in ('never', 'running', 'succeeded', 'failed')),
  last_duration_ms  bigint,
  -- {"usersCreated": n, ...}: numbers only
  last_counts       jsonb not null default '{}'::jsonb,
  -- a stable code (token_exchange, unauthorized_client, group_not_found, ...) and a fixed text
  last_error_code   text,
  last_error        text check (last_error is null or length(last_error) <= 500),
  -- where an interrupted sync stands: phase and counters, no names, no tokens
  resume_state      jsonb not null default '{}'::jsonb,
  consecutive_failures integer not null default 0,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create index connectors_due on connectors (next_run_at) where source_kind <> 'scim-push';

-- Which directory resources a tenant's connector created or adopted, so removals in the source
-- are detected without touching what an IdP pushed. Ids only; row-level security as every
-- tenant-owned table.
create table connector_resources (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  resource_type text not null check (resource_type in ('User', 'Group')),
  resource_id   uuid not null,
  added_at      timestamptz not null default now(),
  primary key (tenant_id, resource_type, resource_id)
);

alter table connectors enable row level security;
alter table connectors force row level security;
create policy tenant_isolation on connectors
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
         or current_setting('app.connector_scan', true) = 'due'
         or current_setting('app.scope', true) = 'fleet')
  with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- The tenants whose pull connector is due and not leased by a live instance, oldest first. Sets
-- app.connector_scan for its own transaction only, so the policy above lets it read across
-- tenants; it returns ids and nothing else.
create function sb_due_connectors(p_limit integer)
  returns table (tenant_id uuid)
  language plpgsql
  as $$
begin
  perform set_config('app.connector_scan', 'due', true);
  return query
    select c.tenant_id
      from connectors c
      join tenants t on t.id = c.tenant_id
     where c.source_kind <> 'scim-push'
       and t.status = 'active'
       and c.next_run_at <= now()
       and (c.lease_until is null or c.lease_until < now())
     order by c.next_run_at
     limit p_limit;
  perform set_config('app.connector_scan', '', true);
end
$$;

alter table connector_resources enable row level security;
alter table connector_resources force row level security;
create policy tenant_isolation on connector_resources
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
