# What a customer applies to its own Vault to let the Switchboard gateway unlock its tenant.

module "switchboard_tenant" {
  source = "../../modules/tenant-vault"

  tenant_id   = var.tenant_id
  tenant_slug = var.tenant_slug

  vault_address = var.vault_address
  vault_ca_pem  = var.vault_ca_pem
  namespace     = var.namespace

  gateway_jwks_url           = var.gateway_jwks_url
  gateway_jwt_issuer         = var.gateway_jwt_issuer
  gateway_egress_cidr_blocks = var.gateway_egress_cidr_blocks

  auth_method         = var.auth_method
  allow_gateway_write = var.allow_gateway_write
}
