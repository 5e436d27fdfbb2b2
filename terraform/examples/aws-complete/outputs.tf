output "scim_base_url" {
  description = "Paste into each identity provider together with the tenant's bearer token."
  value       = module.switchboard.scim_base_url
}

output "jwks_url" {
  description = "Give to customers for their tenant-vault module (gateway_jwks_url)."
  value       = module.switchboard.jwks_url
}

output "jwt_issuer" {
  description = "Give to customers for their tenant-vault module (gateway_jwt_issuer)."
  value       = module.switchboard.jwt_issuer
}

output "egress_public_ips" {
  description = "Give to customers who bind Vault tokens to source addresses (gateway_egress_cidr_blocks)."
  value       = module.switchboard.egress_public_ips
}

output "admin_url" {
  description = "tenant-admin, reachable from admin_allowed_cidr_blocks only."
  value       = module.switchboard.admin_url
}

output "admin_bootstrap_token_secret_arn" {
  description = "Read the bootstrap token once with aws secretsmanager get-secret-value --secret-id <this>."
  value       = lookup(module.switchboard.secret_arns, "admin_bootstrap_token", null)
}

output "log_groups" {
  description = "CloudWatch log groups by service."
  value       = module.switchboard.log_groups
}

output "certificate_validation_records" {
  description = "DNS records to create by hand when route53_zone_id is null."
  value       = module.switchboard.certificate_validation_records
}
