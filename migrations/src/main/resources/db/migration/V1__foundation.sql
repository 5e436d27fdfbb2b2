-- Switchboard foundation schema.
--
-- Two kinds of tables:
--   * the operator's registry (tenants, admin_keys): no personal data, no secrets in
--     readable form, visible to the services across tenants;
--   * tenant-owned tables: every row carries tenant_id, the primary key starts with it,
--     and row-level security is ENABLED and FORCED with a policy on the transaction-local
--     setting app.tenant_id. The services connect as ${appRole}, which owns nothing and
--     cannot bypass RLS, so a statement that forgets the tenant sees no rows at all.
--
-- Directory content (users, groups) is stored as AES-256-GCM ciphertext produced by the
-- gateway with keys derived from the tenant's scimsession; the columns named *_idx are
-- blind indexes (HMAC of a normalised value) used for the eq lookups IdPs make.

create table tenants (
  id            uuid primary key,
  slug          text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name          text not null check (length(name) between 1 and 200),
  status        text not null default 'active' check (status in ('active', 'suspended', 'deleting')),
  idp_profile   text not null default 'generic',
  session_store text not null default 'local' check (session_store in ('local', 'vault')),
  -- Vault connection (address, namespace, mount, path, auth method). Secrets in it are
  -- encrypted under the gateway's master key before they get here.
  vault         jsonb,
  settings      jsonb not null default '{}'::jsonb,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);

-- Operator API keys for tenant-admin. Only a SHA-256 of the 256-bit secret is stored.
create table admin_keys (
  key_id       text primary key,
  secret_hash  bytea not null check (length(secret_hash) = 32),
  scope        text not null,
  label        text not null default '',
  created_at   timestamptz not null default now(),
  revoked_at   timestamptz,
  last_used_at timestamptz
);

-- Bearer tokens the IdPs hold: sbt_<token_id>_<secret>. The row says which tenant a token
-- id belongs to and whether it is usable; only a SHA-256 of the secret is kept here, and
-- the tenant's scimsession holds a second, salted verifier, so neither the database nor
-- the session store alone can make a token valid.
create table bearer_tokens (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  token_id     text not null unique,
  secret_hash  bytea not null check (length(secret_hash) = 32),
  label        text not null default '',
  created_at   timestamptz not null default now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  primary key (tenant_id, token_id)
);

create table scim_users (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  version       bigint not null,
  key_version   integer not null,
  username_idx  bytea not null,
  external_idx  bytea,
  display_ct    bytea,
  resource_ct   bytea not null,
  created_at    timestamptz not null,
  updated_at    timestamptz not null,
  primary key (tenant_id, id)
);
create unique index scim_users_username_uq on scim_users (tenant_id, username_idx);
create index scim_users_external_idx on scim_users (tenant_id, external_idx) where external_idx is not null;
create index scim_users_created on scim_users (tenant_id, created_at, id);

-- Blind index of every emails[].value of a user (multi-valued, so its own table).
create table scim_user_emails (
  tenant_id  uuid not null,
  value_idx  bytea not null,
  user_id    uuid not null,
  primary key (tenant_id, value_idx, user_id),
  foreign key (tenant_id, user_id) references scim_users (tenant_id, id) on delete cascade
);
create index scim_user_emails_user on scim_user_emails (tenant_id, user_id);

create table scim_groups (
  tenant_id       uuid not null references tenants (id) on delete cascade,
  id              uuid not null,
  version         bigint not null,
  key_version     integer not null,
  display_idx     bytea not null,
  external_idx    bytea,
  display_ct      bytea not null,
  resource_ct     bytea not null,
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  primary key (tenant_id, id)
);
create unique index scim_groups_display_uq on scim_groups (tenant_id, display_idx);
create index scim_groups_external_idx on scim_groups (tenant_id, external_idx) where external_idx is not null;
create index scim_groups_created on scim_groups (tenant_id, created_at, id);

-- Membership is a set of ids, never a blob, so a 100,000-member group is changed set-wise.
-- member_type: 'User' or 'Group'. Members of a deleted user or group are removed in the
-- same transaction as the delete (a member can point at either table, so no foreign key).
create table group_members (
  tenant_id   uuid not null,
  group_id    uuid not null,
  member_id   uuid not null,
  member_type text not null check (member_type in ('User', 'Group')),
  added_at    timestamptz not null default now(),
  primary key (tenant_id, group_id, member_id),
  foreign key (tenant_id, group_id) references scim_groups (tenant_id, id) on delete cascade
);
create index group_members_member on group_members (tenant_id, member_id);

-- The tenant's change feed. Written in the same transaction as the change it records;
-- the payload is ciphertext under the tenant's data key. seq is the per-tenant, gap-free
-- position in the feed, assigned after commit in commit order (see the feed sequencer).
create table provisioning_events (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  event_id      bigint generated always as identity,
  seq           bigint,
  event_type    text not null,
  resource_type text not null,
  resource_id   uuid not null,
  -- the resource version the event describes; with the type, part of the payload's AEAD data
  resource_version bigint not null,
  key_version   integer not null,
  payload_ct    bytea not null,
  request_id    text,
  created_at    timestamptz not null default now(),
  primary key (tenant_id, event_id)
);
create unique index provisioning_events_seq on provisioning_events (tenant_id, seq) where seq is not null;
create index provisioning_events_unsequenced on provisioning_events (tenant_id, event_id) where seq is null;

-- Who did what, when. Never personal data in clear: targets are ids, details are codes.
create table audit_log (
  tenant_id  uuid not null references tenants (id) on delete cascade,
  audit_id   bigint generated always as identity,
  at         timestamptz not null default now(),
  actor      text not null,
  action     text not null,
  target     text,
  request_id text,
  details    jsonb not null default '{}'::jsonb,
  primary key (tenant_id, audit_id)
);
create index audit_log_at on audit_log (tenant_id, at desc);

-- Row-level security: enabled AND forced on every tenant-owned table.
do $$
declare
  t text;
begin
  foreach t in array array['scim_users', 'scim_user_emails', 'scim_groups', 'group_members',
                           'provisioning_events', 'audit_log']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy tenant_isolation on %I
                      using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                      with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  end loop;
end
$$;

-- Bearer tokens are tenant-owned too. Before the tenant is known, the gateway may read
-- exactly the one row whose token id it was handed (app.token_id), and nothing else.
alter table bearer_tokens enable row level security;
alter table bearer_tokens force row level security;
create policy tenant_isolation on bearer_tokens
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
         or token_id = nullif(current_setting('app.token_id', true), ''))
  with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
