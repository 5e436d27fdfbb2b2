# Nothing here is a secret: secrets appear only as Secrets Manager ARNs.

output "scim_base_url" {
  description = "The SCIM base URL to paste into each identity provider (tenant tokens tell tenants apart)."
  value       = "${local.public_url}/scim/v2"
}

output "jwks_url" {
  description = "The gateway's public JWKS, which customer Vaults' JWT auth backends trust (tenant-vault module input gateway_jwks_url)."
  value       = "${local.public_url}/.well-known/jwks.json"
}

output "jwt_issuer" {
  description = "The iss claim of the gateway's Vault-login JWTs (tenant-vault module input gateway_jwt_issuer)."
  value       = local.jwt_issuer
}

output "admin_url" {
  description = "tenant-admin's private base URL (reachable from admin_allowed_cidr_blocks); the API lives under /admin/v1."
  value       = "https://${local.admin_domain_name}"
}

output "public_alb_dns_name" {
  description = "The public load balancer's DNS name: point domain_name at it yourself when route53_zone_id is null."
  value       = aws_lb.public.dns_name
}

output "admin_alb_dns_name" {
  description = "The internal load balancer's DNS name: point admin_domain_name at it yourself when route53_zone_id is null."
  value       = aws_lb.admin.dns_name
}

output "certificate_validation_records" {
  description = "The DNS records that validate the ACM certificate; create them yourself when route53_zone_id is null."
  value = local.create_certificate ? [
    for o in aws_acm_certificate.this[0].domain_validation_options : {
      name  = o.resource_record_name
      type  = o.resource_record_type
      value = o.resource_record_value
    }
  ] : []
}

output "log_groups" {
  description = "CloudWatch log group names by service."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}

output "cluster_name" {
  description = "The ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "service_names" {
  description = "The ECS service names by service."
  value       = { gateway = aws_ecs_service.gateway.name, admin = aws_ecs_service.admin.name }
}

output "task_definition_families" {
  description = "Task definition families by service; run the admin family with command [\"migrate\"] for a one-off migration."
  value       = { for k, t in aws_ecs_task_definition.this : k => t.family }
}

output "database_endpoint" {
  description = "The database host and port (no credentials)."
  value       = "${aws_db_instance.this.address}:${aws_db_instance.this.port}"
}

output "database_owner_secret_arn" {
  description = "The RDS-managed secret holding the owner (master) credentials; RDS rotates it."
  value       = local.db_owner_secret
}

output "secret_arns" {
  description = "Secrets Manager ARNs of the generated secrets, by name (master_key, jwt_signing_key, database_app_password, admin_bootstrap_token)."
  value       = { for k, s in aws_secretsmanager_secret.generated : k => s.arn }
}

output "kms_key_arn" {
  description = "The KMS key encrypting the database, the secrets and the logs."
  value       = local.kms_key_arn
}

output "vpc_id" {
  description = "The VPC the stack runs in."
  value       = local.vpc_id
}

output "security_group_ids" {
  description = "Security group ids by role (public_alb, gateway, admin_alb, admin, database)."
  value = {
    public_alb = aws_security_group.public_alb.id
    gateway    = aws_security_group.gateway.id
    admin_alb  = aws_security_group.admin_alb.id
    admin      = aws_security_group.admin.id
    database   = aws_security_group.database.id
  }
}

output "egress_public_ips" {
  description = "The NAT gateways' public addresses the tasks reach customer Vaults from (empty with an existing VPC: use your NAT's addresses). Customers can bind Vault tokens to them (tenant-vault input gateway_egress_cidr_blocks)."
  value       = aws_eip.nat[*].public_ip
}

output "alarm_names" {
  description = "The CloudWatch alarms the module creates."
  value       = [for a in aws_cloudwatch_metric_alarm.this : a.alarm_name]
}
