# What the Switchboard operator enters in tenant-admin when pointing your tenant at your Vault.
# Nothing here is secret: with AppRole, the secret id travels separately, response-wrapped.

output "onboarding" {
  description = "Everything tenant-admin needs for this tenant's Vault, in one object (vault address, namespace, CA, KV mount, session path, login method, auth path, role, audience, AppRole role id)."
  value = {
    tenant_id       = var.tenant_id
    vault_address   = var.vault_address
    vault_namespace = var.namespace
    vault_ca_pem    = var.vault_ca_pem
    kv_mount        = local.kv_mount_path
    session_path    = local.session_path
    auth_method     = var.auth_method
    auth_mount_path = local.auth_mount_path
    role_name       = local.role_name
    jwt_audience    = var.auth_method == "jwt" ? local.jwt_audience : null
    approle_role_id = var.auth_method == "approle" ? vault_approle_auth_backend_role.gateway[0].role_id : null
    gateway_writes  = var.allow_gateway_write
  }
}

output "session_api_path" {
  description = "The KV v2 API path of the session (<mount>/data/switchboard/<slug>/scimsession), for audit rules and break-glass revocation."
  value       = "${local.kv_mount_path}/data/${local.session_path}"
}

output "policy_name" {
  description = "The Vault policy granting the gateway its session path."
  value       = vault_policy.gateway.name
}

output "role_name" {
  description = "The JWT or AppRole role the gateway logs in with. Deleting it cuts the operator off from this tenant's data."
  value       = local.role_name
}
