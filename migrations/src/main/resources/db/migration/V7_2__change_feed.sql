-- The change feed's ordering and push delivery (issue 7).
--
-- Sequence assignment: feed_counters holds one row per tenant; every event insert bumps it
-- in the same statement (insert ... on conflict do update ... returning) and takes the new
-- value as its seq. The row lock is held until the writing transaction ends, so:
--   * gap-free: a rolled-back transaction rolls its increments back with it;
--   * commit order = seq order: the next writer of that tenant gets its number only after
--     the previous one committed, so a reader never sees seq n+1 before seq n.
-- The price is that writes of one tenant serialise from their first event to commit; writes
-- of different tenants do not touch each other.
create table feed_counters (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  last_seq  bigint not null
);

-- Webhook endpoints. The signing secret is AES-GCM ciphertext under the tenant's data key
-- (revoking the tenant's keys stops its webhooks too). delivered_seq is the endpoint's
-- cursor: every event up to it was delivered or dead-lettered, in order.
create table webhook_endpoints (
  tenant_id       uuid not null references tenants (id) on delete cascade,
  id              uuid not null,
  url             text not null check (url ~ '^https?://'),
  description     text not null default '',
  secret_ct       bytea not null,
  key_version     integer not null,
  status          text not null default 'active' check (status in ('active', 'paused')),
  delivered_seq   bigint not null,
  attempts        integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error      text,
  created_at      timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index webhook_endpoints_due on webhook_endpoints (next_attempt_at) where status = 'active';

-- One row per (endpoint, event) that needed more than a plain first-try success, or was
-- asked for again: delivered after retries, dead-lettered, or queued for manual redelivery.
create table webhook_deliveries (
  tenant_id        uuid not null,
  endpoint_id      uuid not null,
  seq              bigint not null,
  status           text not null check (status in ('delivered', 'dead_letter', 'redeliver')),
  attempts         integer not null,
  last_status_code integer,
  last_error       text,
  updated_at       timestamptz not null default now(),
  primary key (tenant_id, endpoint_id, seq),
  foreign key (tenant_id, endpoint_id) references webhook_endpoints (tenant_id, id) on delete cascade
);
create index webhook_deliveries_status on webhook_deliveries (tenant_id, endpoint_id, status, seq);

do $$
declare
  t text;
begin
  foreach t in array array['feed_counters', 'webhook_endpoints', 'webhook_deliveries']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy tenant_isolation on %I
                      using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
                             or current_setting('app.worker_scan', true) = 'on')
                      with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  end loop;
end
$$;

-- Claims one endpoint with work to do (an undelivered event or a manual redelivery) whose
-- backoff has passed, locking its row until the caller's transaction ends. Concurrent
-- workers skip locked rows, so an endpoint is served by one worker at a time and its events
-- leave in order.
create function sb_claim_webhook()
  returns table (tenant_id uuid, id uuid)
  language plpgsql
  as $$
begin
  perform set_config('app.worker_scan', 'on', true);
  return query
    select e.tenant_id, e.id
      from webhook_endpoints e
     where e.status = 'active'
       and e.next_attempt_at <= now()
       and (e.delivered_seq < coalesce((select c.last_seq from feed_counters c
                                         where c.tenant_id = e.tenant_id), 0)
            or exists (select 1 from webhook_deliveries d
                        where d.tenant_id = e.tenant_id and d.endpoint_id = e.id
                          and d.status = 'redeliver'))
     order by e.next_attempt_at
     limit 1
     for update of e skip locked;
  perform set_config('app.worker_scan', '', true);
end
$$;

-- Dead letters per tenant for the fleet view (counts only).
create function sb_webhook_dead_letters()
  returns table (tenant_id uuid, dead_letters bigint)
  language plpgsql
  as $$
begin
  perform set_config('app.worker_scan', 'on', true);
  return query
    select d.tenant_id, count(*) from webhook_deliveries d
     where d.status = 'dead_letter' group by d.tenant_id;
  perform set_config('app.worker_scan', '', true);
end
$$;
