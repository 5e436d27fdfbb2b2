-- Tenant-admin: token rotation, organisation deletion (crypto-shred) and fleet activity.

-- A rotated token points at the token that replaced it; its expires_at is the end of the
-- overlap window during which both work.
alter table bearer_tokens add column replaced_by text;
alter table bearer_tokens add column rotated_at timestamptz;

create index tenants_status on tenants (status, created_at, id);
create index tenants_idp_profile on tenants (idp_profile, created_at, id);

-- One row per organisation deletion, part of the operator's registry like tenants (hence
-- id, not tenant_id: it holds nothing of the tenant's). It outlives the tenant's own rows
-- (and so its audit log): who asked, when, what was removed. No foreign key: the tenant
-- row goes away.
create table tenant_deletions (
  id            uuid primary key,
  slug          text not null,
  requested_by  text not null,
  request_id    text,
  requested_at  timestamptz not null default now(),
  completed_at  timestamptz,
  -- counts only: {"tokensRevoked": 2, "users": 10, ...}
  deleted       jsonb not null default '{}'::jsonb
);

-- Per-minute request counters that every gateway instance adds to (in-memory first, flushed
-- every few seconds). Operational figures only: no personal data, no request content.
create table tenant_activity (
  tenant_id      uuid not null references tenants (id) on delete cascade,
  minute         timestamptz not null,
  requests       bigint not null default 0,
  errors         bigint not null default 0,
  writes         bigint not null default 0,
  last_request_at timestamptz,
  last_write_at  timestamptz,
  primary key (tenant_id, minute)
);
create index tenant_activity_minute on tenant_activity (minute);

-- Row-level security as on every tenant-owned table, plus one explicit opt-in: the fleet
-- view reads (and the flusher writes) many organisations' counters in one transaction, and
-- says so with app.scope = 'fleet'. A statement that sets neither sees nothing.
alter table tenant_activity enable row level security;
alter table tenant_activity force row level security;
create policy tenant_isolation on tenant_activity
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
         or current_setting('app.scope', true) = 'fleet')
  with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
              or current_setting('app.scope', true) = 'fleet');
