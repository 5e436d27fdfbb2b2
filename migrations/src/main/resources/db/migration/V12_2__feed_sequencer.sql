-- The change feed's seq is assigned after commit by a sequencer, no longer by every writer
-- (issue 9). Until now each event insert bumped the tenant's feed_counters row and held its
-- lock to commit, so all writes of one tenant serialised through one commit (fsync) at a
-- time: a single tenant could not create users faster than its disk could flush one by one.
--
-- Now writers insert events with seq null (their event_id, an identity, orders them) and
-- take no shared lock. sb_sequence_feed numbers a tenant's committed, unsequenced events in
-- event_id order after the last seq, under the counter row's lock:
--   * gap-free: seqs are assigned consecutively in one transaction, only to committed rows;
--   * never reordered for a reader: a seq is given once and only to a visible event, so a
--     reader that saw seq n never later finds a new event below n;
--   * causal: an event written after its transaction saw another transaction's change has a
--     larger event_id than that change's events (they were inserted before it committed),
--     and a sequencer run numbers every committed event it sees in event_id order.
-- Gateways call it after their own commits, every reader calls it before reading, and a
-- periodic sweep catches what another instance or a crash left behind.
create function sb_sequence_feed(p_tenant uuid, p_limit integer)
  returns bigint
  language plpgsql
  as $$
declare
  v_last  bigint;
  v_count integer;
begin
  perform set_config('app.tenant_id', p_tenant::text, true);
  if not exists (select 1 from provisioning_events
                  where tenant_id = p_tenant and seq is null) then
    select c.last_seq into v_last from feed_counters c where c.tenant_id = p_tenant;
    return coalesce(v_last, 0);
  end if;
  insert into feed_counters (tenant_id, last_seq) values (p_tenant, 0)
    on conflict (tenant_id) do nothing;
  -- waits for a concurrent run; the statements below then see what it committed
  select c.last_seq into v_last from feed_counters c where c.tenant_id = p_tenant for update;
  with pending as (
    select e.event_id, row_number() over (order by e.event_id) as rn
      from provisioning_events e
     where e.tenant_id = p_tenant and e.seq is null
     order by e.event_id
     limit p_limit)
  update provisioning_events e
     set seq = v_last + p.rn
    from pending p
   where e.tenant_id = p_tenant and e.event_id = p.event_id;
  get diagnostics v_count = row_count;
  if v_count > 0 then
    update feed_counters set last_seq = v_last + v_count where tenant_id = p_tenant;
  end if;
  return v_last + v_count;
end
$$;

-- Tenants with committed events still waiting for a seq (the sweep's work list).
create function sb_tenants_with_unsequenced_events(p_limit integer)
  returns table (tenant_id uuid)
  language plpgsql
  as $$
begin
  perform set_config('app.worker_scan', 'on', true);
  return query
    select distinct e.tenant_id
      from provisioning_events e
     where e.seq is null
     limit p_limit;
  perform set_config('app.worker_scan', '', true);
end
$$;
