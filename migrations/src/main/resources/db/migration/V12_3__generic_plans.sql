-- The self-scoping functions of V12_1/V12_2 were re-planned on every call (issue 9, measured
-- with pg_stat_statements during bench s1: sb_user_rows took 0.35 ms per call against 0.006 ms
-- for the floor's primary-key select). PL/pgSQL's plan cache tried custom plans, found them
-- cheaper than the generic plan by estimate, and kept planning the RLS-qualified join anew for
-- each call. Their queries have one good plan whatever the parameters (index lookups by
-- tenant and key), so they use the generic plan, made once per connection.
--
-- A SET clause also confines a set_config(..., true) made inside the function to the call: the
-- tenant setting it makes ends when it returns, even inside a caller's transaction (where
-- Database.inTenant has already set the same tenant).
alter function sb_user_rows(uuid, uuid[]) set plan_cache_mode = force_generic_plan;
alter function sb_users_by_index(uuid, text, bytea) set plan_cache_mode = force_generic_plan;
alter function sb_sequence_feed(uuid, integer) set plan_cache_mode = force_generic_plan;
