-- Feed retention (issue 7): events older than the retention period are pruned, always as a
-- prefix of the tenant's feed, so what is kept stays gap-free: seq pruned_seq+1, +2, ... A
-- pull with a cursor below pruned_seq is answered 410 with pruned_seq as the oldest cursor.
-- Never pruned: an event some webhook endpoint has not had yet (seq > its delivered_seq), and
-- anything from the first dead letter or pending redelivery on.
create table feed_retention (
  tenant_id  uuid primary key references tenants (id) on delete cascade,
  pruned_seq bigint not null,
  pruned_at  timestamptz not null default now()
);

alter table feed_retention enable row level security;
alter table feed_retention force row level security;
create policy tenant_isolation on feed_retention
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
         or current_setting('app.worker_scan', true) = 'on')
  with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- The retention scan below reads provisioning_events across tenants, like the other sb_*
-- scans read their tables: only inside the function, only to select (ids, seqs and times; the
-- payloads are ciphertext under each tenant's key).
create policy worker_scan on provisioning_events for select
  using (current_setting('app.worker_scan', true) = 'on');

-- Tenants whose oldest kept event is older than p_before and may go (one probe of the
-- (tenant_id, seq) index per tenant): no endpoint is still waiting for it, and it is no dead
-- letter or pending redelivery.
create function sb_tenants_with_expired_events(p_before timestamptz, p_limit integer)
  returns table (tenant_id uuid)
  language plpgsql
  as $$
begin
  perform set_config('app.worker_scan', 'on', true);
  return query
    select t.id
      from tenants t
      left join feed_retention r on r.tenant_id = t.id
      join provisioning_events p on p.tenant_id = t.id and p.seq = coalesce(r.pruned_seq, 0) + 1
     where p.created_at < p_before
       and not exists (select 1 from webhook_endpoints e
                        where e.tenant_id = t.id and e.delivered_seq < p.seq)
       and not exists (select 1 from webhook_deliveries d
                        where d.tenant_id = t.id and d.seq <= p.seq
                          and d.status in ('dead_letter', 'redeliver'))
     limit p_limit;
  perform set_config('app.worker_scan', '', true);
end
$$;
