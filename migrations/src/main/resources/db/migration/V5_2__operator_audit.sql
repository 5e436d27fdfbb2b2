-- Fleet-level admin actions that belong to no single organisation, or that must outlive it:
-- operator keys created and revoked, organisations deleted. Per-organisation actions stay in
-- that organisation's audit_log. Never a secret: targets are ids, details are codes and counts.
create table operator_audit (
  audit_id   bigint generated always as identity primary key,
  at         timestamptz not null default now(),
  actor      text not null,
  action     text not null,
  target     text,
  request_id text,
  details    jsonb not null default '{}'::jsonb
);
create index operator_audit_at on operator_audit (at desc);
