-- Account groups (issue 7, managed groups): the downstream account's own groups, distinct from
-- the SCIM group resources the IdP pushes. A SCIM group is always bound to one account group;
-- an account group is "unlinked" when no SCIM group is bound to it: the operator registered it
-- (imported from the account through tenant-admin), or its SCIM group was deleted while the
-- account kept the group (hardDelete "suspend"). A SCIM POST whose displayName matches an
-- unlinked account group links to it instead of creating a second one.
--
-- No name in clear: name_idx is the blind index of the displayName, computed exactly like
-- scim_groups.display_idx (so a name is the same name for uniqueness, filters and linking);
-- display_ct holds the encrypted name only while the group is unlinked (a linked group's name
-- is its SCIM group's). A name is taken in a tenant if any account group has it, linked or not.
create table account_groups (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  name_idx      bytea not null,
  key_version   integer,
  display_ct    bytea,
  scim_group_id uuid,
  origin        text not null check (origin in ('scim', 'account')),
  created_at    timestamptz not null default now(),
  linked_at     timestamptz,
  primary key (tenant_id, id),
  -- linked: no name of its own; unlinked: its encrypted name
  check ((scim_group_id is null) = (display_ct is not null)),
  check ((display_ct is null) = (key_version is null)),
  -- checked at commit: a SCIM group's DELETE unlinks or erases its account group in
  -- the same transaction, by the tenant's hardDelete policy
  foreign key (tenant_id, scim_group_id) references scim_groups (tenant_id, id)
    deferrable initially deferred
);
create unique index account_groups_name_uq on account_groups (tenant_id, name_idx);
create unique index account_groups_scim_group_uq on account_groups (tenant_id, scim_group_id)
  where scim_group_id is not null;

-- Groups created before this migration were created through SCIM: each gets its account group.
insert into account_groups (tenant_id, id, name_idx, scim_group_id, origin, created_at, linked_at)
select g.tenant_id, gen_random_uuid(), g.display_idx, g.id, 'scim', g.created_at, g.created_at
  from scim_groups g;

alter table account_groups enable row level security;
alter table account_groups force row level security;
create policy tenant_isolation on account_groups
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
         or current_setting('app.worker_scan', true) = 'on')
  with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
