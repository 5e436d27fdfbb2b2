-- Hot reads in one round trip (issue 9). Each function scopes itself to its tenant with a
-- transaction-local set_config and then runs one query under row-level security, so a read
-- is a single prepared call instead of BEGIN, set_config, query(ies), COMMIT.
--
-- Safe by construction: the functions are SECURITY INVOKER (row-level security applies as it
-- does to any statement of the service role), the setting is transaction-local (it ends with
-- the call's implicit transaction, or with the caller's transaction, which is then already
-- scoped to the same tenant by Database.inTenant), and every query also names the tenant.
--
-- Each row is a user with the groups it is a direct member of, as parallel arrays (id,
-- version, encrypted display name), so a user's groups need no second query.

create function sb_user_rows(p_tenant uuid, p_ids uuid[])
  returns table (id uuid, version bigint, resource_ct bytea, created_at timestamptz,
                 updated_at timestamptz, group_ids uuid[], group_versions bigint[],
                 group_display_cts bytea[])
  language plpgsql
  as $$
begin
  perform set_config('app.tenant_id', p_tenant::text, true);
  return query
    select u.id, u.version, u.resource_ct, u.created_at, u.updated_at,
           g.ids, g.versions, g.displays
      from scim_users u
      left join lateral (
             select array_agg(gr.id order by gr.id) as ids,
                    array_agg(gr.version order by gr.id) as versions,
                    array_agg(gr.display_ct order by gr.id) as displays
               from group_members gm
               join scim_groups gr on gr.tenant_id = gm.tenant_id and gr.id = gm.group_id
              where gm.tenant_id = u.tenant_id and gm.member_id = u.id) g on true
     where u.tenant_id = p_tenant and u.id = any(p_ids);
end
$$;

-- Users whose blind index of the attribute equals p_key: 'userName', 'externalId' or
-- 'emails.value' (each an index lookup); anything else returns no rows.
create function sb_users_by_index(p_tenant uuid, p_attribute text, p_key bytea)
  returns table (id uuid, version bigint, resource_ct bytea, created_at timestamptz,
                 updated_at timestamptz, group_ids uuid[], group_versions bigint[],
                 group_display_cts bytea[])
  language plpgsql
  as $$
declare
  v_ids uuid[];
begin
  perform set_config('app.tenant_id', p_tenant::text, true);
  if p_attribute = 'userName' then
    select array_agg(u.id) into v_ids
      from scim_users u where u.tenant_id = p_tenant and u.username_idx = p_key;
  elsif p_attribute = 'externalId' then
    select array_agg(u.id) into v_ids
      from scim_users u where u.tenant_id = p_tenant and u.external_idx = p_key;
  elsif p_attribute = 'emails.value' then
    select array_agg(e.user_id) into v_ids
      from scim_user_emails e where e.tenant_id = p_tenant and e.value_idx = p_key;
  end if;
  if v_ids is null then
    return;
  end if;
  return query select * from sb_user_rows(p_tenant, v_ids);
end
$$;
