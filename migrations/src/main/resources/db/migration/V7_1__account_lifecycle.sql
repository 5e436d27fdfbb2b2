-- Account lifecycle (issue 7): what the tenant's account knows about each person and group
-- beyond the SCIM resource. No personal data here: ids, states, times and reason codes.
--
-- accounts outlives scim_users on purpose: a SCIM DELETE removes the resource (404 after,
-- userName free again) while the account keeps the person suspended, unless the tenant's
-- hardDelete policy is "erase". Hence no foreign key to scim_users.
create table accounts (
  tenant_id      uuid not null references tenants (id) on delete cascade,
  user_id        uuid not null,
  status         text not null check (status in ('invited', 'active', 'suspended')),
  invited_at     timestamptz not null default now(),
  -- an invitation is confirmed by the confirmer once this time has passed (interval policy)
  confirm_after  timestamptz,
  confirmed_at   timestamptz,
  confirmed_by   text check (confirmed_by in ('immediate', 'interval')),
  suspended_at   timestamptz,
  suspend_reason text check (suspend_reason in ('scim_active_false', 'scim_delete')),
  -- the SCIM resource is gone (DELETE under the suspend policy); the account is kept
  scim_deleted   boolean not null default false,
  -- a changed primary email or userName waits for the person to confirm it at next sign-in
  email_change_pending_since timestamptz,
  updated_at     timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
create index accounts_due_confirmation on accounts (confirm_after) where status = 'invited';

-- Managed groups: whether each SCIM group is applied downstream (the tenant's managedGroups
-- setting: all, or a selected list of displayNames). An unmanaged group is kept and listed in
-- tenant-admin but produces no feed events until it is selected.
create table group_sync (
  tenant_id  uuid not null references tenants (id) on delete cascade,
  group_id   uuid not null,
  managed    boolean not null,
  changed_at timestamptz not null default now(),
  primary key (tenant_id, group_id),
  foreign key (tenant_id, group_id) references scim_groups (tenant_id, id) on delete cascade
);

-- Per-tenant lifecycle bookkeeping: the managedGroups selection last applied, so every
-- instance can tell when an operator changed it and one of them reconciles.
create table lifecycle_state (
  tenant_id             uuid primary key references tenants (id) on delete cascade,
  managed_groups_digest text not null,
  reconciled_at         timestamptz not null default now()
);

do $$
declare
  t text;
begin
  foreach t in array array['accounts', 'group_sync', 'lifecycle_state']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    -- app.worker_scan is set only inside the sb_* scan functions below, for their own
    -- statement: background workers find due work across tenants and then act on it inside
    -- a transaction scoped to one tenant.
    execute format($p$create policy tenant_isolation on %I
                      using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
                             or current_setting('app.worker_scan', true) = 'on')
                      with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  end loop;
end
$$;

-- Tenants with invitations due for confirmation (interval policy).
create function sb_tenants_due_confirmation(p_limit integer)
  returns table (tenant_id uuid)
  language plpgsql
  as $$
begin
  perform set_config('app.worker_scan', 'on', true);
  return query
    select distinct a.tenant_id
      from accounts a
     where a.status = 'invited' and a.confirm_after <= now()
     limit p_limit;
  perform set_config('app.worker_scan', '', true);
end
$$;

-- The managed-groups selection as last applied is compared by digest of the setting's JSON.
create function sb_managed_groups_digest(p_settings jsonb)
  returns text
  language sql immutable
  as $$ select md5(coalesce(p_settings -> 'managedGroups', 'null'::jsonb)::text) $$;

-- Tenants whose managedGroups setting differs from what was last applied.
create function sb_tenants_to_reconcile(p_limit integer)
  returns table (tenant_id uuid)
  language plpgsql
  as $$
begin
  perform set_config('app.worker_scan', 'on', true);
  return query
    select t.id
      from tenants t
      left join lifecycle_state s on s.tenant_id = t.id
     where t.status = 'active'
       and ((s.tenant_id is null and t.settings ? 'managedGroups')
            or s.managed_groups_digest <> sb_managed_groups_digest(t.settings))
     limit p_limit;
  perform set_config('app.worker_scan', '', true);
end
$$;
