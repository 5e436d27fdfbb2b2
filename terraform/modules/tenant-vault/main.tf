# What a customer applies to its own Vault so the Switchboard gateway can unlock its tenant:
# a KV v2 mount (or an existing one), a policy for exactly one session path, and a login for
# the gateway: a JWT role bound to the tenant's id (no shared secret) or an AppRole.
#
# Revoking the role (or destroying this module) crypto-shreds the tenant for the operator:
# without the session, its directory rows are ciphertext nobody can read.

locals {
  session_path    = "switchboard/${var.tenant_slug}/scimsession"
  connector_path  = "switchboard/${var.tenant_slug}/connector"
  policy_name     = "switchboard-${var.tenant_slug}"
  role_name       = "switchboard-${var.tenant_slug}"
  auth_mount_path = coalesce(var.auth_mount_path, "switchboard-${var.auth_method}")
  kv_mount_path   = var.create_kv_mount ? vault_mount.kv[0].path : var.kv_mount_path
  jwt_audience    = var.gateway_jwt_audience

  session_capabilities = var.allow_gateway_write ? ["create", "read", "update"] : ["read"]
}

resource "vault_mount" "kv" {
  count = var.create_kv_mount ? 1 : 0

  namespace   = var.namespace
  path        = var.kv_mount_path
  type        = "kv"
  options     = { version = "2" }
  description = "Switchboard SCIM sessions (one per tenant); the keys to the tenant's directory"
}

# Exactly one secret: the session's data and its metadata (versions, for check-and-set).
# No list, no delete, no other path. The default policy (token lookup and renewal) stays.
resource "vault_policy" "gateway" {
  namespace = var.namespace
  name      = local.policy_name
  policy    = <<-EOT
    # Switchboard gateway access for tenant ${var.tenant_slug} (${var.tenant_id}).
    path "${local.kv_mount_path}/data/${local.session_path}" {
      capabilities = ${jsonencode(local.session_capabilities)}
    }

    path "${local.kv_mount_path}/metadata/${local.session_path}" {
      capabilities = ["read"]
    }
    %{~if var.enable_pull_connector}

    # The pull connector's credentials (e.g. a Google service-account key), beside the session.
    path "${local.kv_mount_path}/data/${local.connector_path}" {
      capabilities = ["create", "read", "update"]
    }

    path "${local.kv_mount_path}/metadata/${local.connector_path}" {
      capabilities = ["read", "delete"]
    }
    %{~endif}
  EOT
}

################################################################################
# JWT login: Vault trusts the gateway's public keys and accepts only this tenant's subject
################################################################################

resource "vault_jwt_auth_backend" "gateway" {
  count = var.auth_method == "jwt" && var.create_auth_backend ? 1 : 0

  namespace          = var.namespace
  path               = local.auth_mount_path
  type               = "jwt"
  description        = "Switchboard gateway logins (JWTs signed by the gateway)"
  jwks_url           = var.gateway_jwks_url
  bound_issuer       = var.gateway_jwt_issuer
  jwt_supported_algs = var.gateway_jwt_algorithms
}

resource "vault_jwt_auth_backend_role" "gateway" {
  count = var.auth_method == "jwt" ? 1 : 0

  namespace = var.namespace
  backend   = var.create_auth_backend ? vault_jwt_auth_backend.gateway[0].path : local.auth_mount_path
  role_name = local.role_name
  role_type = "jwt"

  user_claim      = "sub"
  bound_subject   = var.tenant_id
  bound_audiences = [local.jwt_audience]

  token_policies         = [vault_policy.gateway.name]
  token_ttl              = var.token_ttl_seconds
  token_max_ttl          = var.token_max_ttl_seconds
  token_explicit_max_ttl = var.token_max_ttl_seconds
  token_bound_cidrs      = var.gateway_egress_cidr_blocks
}

################################################################################
# AppRole login (alternative): you create the secret id and hand it over wrapped
################################################################################

resource "vault_auth_backend" "approle" {
  count = var.auth_method == "approle" && var.create_auth_backend ? 1 : 0

  namespace   = var.namespace
  path        = local.auth_mount_path
  type        = "approle"
  description = "Switchboard gateway logins (AppRole)"
}

resource "vault_approle_auth_backend_role" "gateway" {
  count = var.auth_method == "approle" ? 1 : 0

  namespace = var.namespace
  backend   = var.create_auth_backend ? vault_auth_backend.approle[0].path : local.auth_mount_path
  role_name = local.role_name

  token_policies         = [vault_policy.gateway.name]
  token_ttl              = var.token_ttl_seconds
  token_max_ttl          = var.token_max_ttl_seconds
  token_explicit_max_ttl = var.token_max_ttl_seconds
  token_bound_cidrs      = var.gateway_egress_cidr_blocks
  secret_id_bound_cidrs  = var.gateway_egress_cidr_blocks

  # The secret id is created outside Terraform (see the README), so it is never in state.
  bind_secret_id = true
}
