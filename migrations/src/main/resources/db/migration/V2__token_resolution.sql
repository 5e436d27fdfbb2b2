-- Resolves a bearer token id to its row before the tenant is known, in one round trip.
-- The function sets app.token_id for its own transaction only, so row-level security lets it
-- see exactly that token's row (see the bearer_tokens policy) and nothing else.
create function sb_resolve_token(p_token_id text)
  returns table (tenant_id uuid, secret_hash bytea, expires_at timestamptz, revoked_at timestamptz)
  language plpgsql
  as $$
begin
  perform set_config('app.token_id', p_token_id, true);
  return query
    select t.tenant_id, t.secret_hash, t.expires_at, t.revoked_at
      from bearer_tokens t
     where t.token_id = p_token_id;
end
$$;
