output "scim_base_url" {
  description = "The SCIM base URL for identity providers."
  value       = module.gateway.scim_base_url
}

output "jwks_url" {
  description = "The gateway's JWKS URL, for customers' tenant-vault module."
  value       = module.gateway.jwks_url
}

output "jwt_issuer" {
  description = "The gateway's JWT issuer, for customers' tenant-vault module."
  value       = module.gateway.jwt_issuer
}

output "admin_url" {
  description = "tenant-admin's private base URL."
  value       = module.gateway.admin_url
}

output "egress_public_ips" {
  description = "The gateway's public egress addresses, for customers who restrict Vault access by source."
  value       = module.gateway.egress_public_ips
}

output "log_groups" {
  description = "CloudWatch log group names by service."
  value       = module.gateway.log_groups
}

output "secret_arns" {
  description = "Secrets Manager ARNs of the generated secrets (never their values)."
  value       = module.gateway.secret_arns
}

output "certificate_validation_records" {
  description = "DNS records to create yourself when route53_zone_id is null."
  value       = module.gateway.certificate_validation_records
}
