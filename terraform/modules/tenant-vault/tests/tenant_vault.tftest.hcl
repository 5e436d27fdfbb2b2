# Plan-only tests with a mocked vault provider. terraform/check.sh skips this file (with a
# message) on machines whose provider mirror has no hashicorp/vault.

mock_provider "vault" {}

variables {
  tenant_id          = "3f0c9a52-7d1e-4c1b-9a53-0d6f2b1e8c47"
  tenant_slug        = "acme"
  vault_address      = "https://vault.acme.example:8200"
  gateway_jwks_url   = "https://scim.example.com/.well-known/jwks.json"
  gateway_jwt_issuer = "https://scim.example.com"
}

run "jwt_role_is_bound_to_the_tenant_and_its_session_path_only" {
  command = plan

  assert {
    condition     = vault_jwt_auth_backend_role.gateway[0].bound_subject == var.tenant_id && vault_jwt_auth_backend_role.gateway[0].user_claim == "sub"
    error_message = "The JWT role must accept only the tenant's subject."
  }

  assert {
    condition     = tolist(vault_jwt_auth_backend_role.gateway[0].bound_audiences) == ["vault"]
    error_message = "The JWT role must be bound to one audience, the gateway default (vault) unless set."
  }

  assert {
    condition     = vault_jwt_auth_backend.gateway[0].jwks_url == var.gateway_jwks_url && vault_jwt_auth_backend.gateway[0].bound_issuer == var.gateway_jwt_issuer
    error_message = "The JWT backend must trust the gateway's JWKS and issuer."
  }

  assert {
    condition = (
      strcontains(vault_policy.gateway.policy, "path \"switchboard/data/switchboard/acme/scimsession\"") &&
      strcontains(vault_policy.gateway.policy, "path \"switchboard/metadata/switchboard/acme/scimsession\"") &&
      length(regexall("path \"", vault_policy.gateway.policy)) == 2 &&
      !strcontains(vault_policy.gateway.policy, "*") && !strcontains(vault_policy.gateway.policy, "delete")
    )
    error_message = "The policy must name exactly the session's data and metadata paths, with no wildcard or delete."
  }

  assert {
    condition     = vault_mount.kv[0].type == "kv" && vault_mount.kv[0].options.version == "2"
    error_message = "The session mount must be KV version 2."
  }

  assert {
    condition     = output.onboarding.session_path == "switchboard/acme/scimsession" && output.onboarding.auth_mount_path == "switchboard-jwt"
    error_message = "The onboarding output must tell the operator where the session is and how to log in."
  }
}

run "read_only_when_the_customer_writes_the_session_itself" {
  command = plan

  variables {
    allow_gateway_write = false
  }

  assert {
    condition     = strcontains(vault_policy.gateway.policy, "[\"read\"]") && !strcontains(vault_policy.gateway.policy, "update")
    error_message = "Without write permission the gateway must only read."
  }
}

run "approle_in_a_namespace_with_existing_mount" {
  command = plan

  variables {
    auth_method                = "approle"
    namespace                  = "admin/acme"
    create_kv_mount            = false
    kv_mount_path              = "secret"
    gateway_egress_cidr_blocks = ["203.0.113.10/32", "203.0.113.11/32"]
  }

  assert {
    condition     = length(vault_mount.kv) == 0 && length(vault_jwt_auth_backend.gateway) == 0 && vault_auth_backend.approle[0].type == "approle"
    error_message = "AppRole must replace the JWT backend and an existing mount must be reused."
  }

  assert {
    condition     = vault_policy.gateway.namespace == "admin/acme" && vault_approle_auth_backend_role.gateway[0].namespace == "admin/acme"
    error_message = "Everything must be created in the namespace."
  }

  assert {
    condition     = toset(vault_approle_auth_backend_role.gateway[0].secret_id_bound_cidrs) == toset(["203.0.113.10/32", "203.0.113.11/32"])
    error_message = "Secret ids must be usable only from the gateway's egress addresses."
  }

  assert {
    condition     = strcontains(vault_policy.gateway.policy, "path \"secret/data/switchboard/acme/scimsession\"")
    error_message = "The policy must follow the existing mount."
  }
}

# One run for every refusal: each listed variable must fail its own validation.
run "rejects_unsafe_or_incomplete_input" {
  command = plan

  variables {
    tenant_id              = "acme"
    vault_address          = "http://vault.acme.example:8200"
    gateway_jwks_url       = null
    gateway_jwt_algorithms = ["HS256"]
    token_max_ttl_seconds  = 60
  }

  expect_failures = [
    var.tenant_id,
    var.vault_address,
    var.gateway_jwks_url,
    var.gateway_jwt_algorithms,
    var.token_max_ttl_seconds,
  ]
}

run "pull_connector_credentials_get_their_own_path_when_enabled" {
  command = plan

  variables {
    enable_pull_connector = true
  }

  assert {
    condition = (
      strcontains(vault_policy.gateway.policy, "path \"switchboard/data/switchboard/acme/connector\"") &&
      strcontains(vault_policy.gateway.policy, "path \"switchboard/metadata/switchboard/acme/connector\"") &&
      length(regexall("path \"", vault_policy.gateway.policy)) == 4
    )
    error_message = "With the pull connector enabled the policy must add exactly the connector's data and metadata paths."
  }
}
