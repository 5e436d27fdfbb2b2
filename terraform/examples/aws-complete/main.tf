# A complete production deployment: every gateway-aws setting an operator is likely to touch,
# spelled out. Copy this directory, fill terraform.tfvars from terraform.tfvars.example, apply.

module "switchboard" {
  source = "../../modules/gateway-aws"

  name            = "switchboard-${var.environment}"
  domain_name     = var.domain_name
  route53_zone_id = var.route53_zone_id
  tags            = var.tags

  # Network: the module builds a 3-zone VPC unless vpc_id is given.
  vpc_id                    = var.vpc_id
  public_subnet_ids         = var.public_subnet_ids
  private_subnet_ids        = var.private_subnet_ids
  admin_allowed_cidr_blocks = var.admin_allowed_cidr_blocks

  # Image and tasks (see the sizing table in modules/gateway-aws/README.md).
  container_image             = var.container_image
  cpu_architecture            = var.cpu_architecture
  gateway_cpu                 = var.gateway_cpu
  gateway_memory              = var.gateway_memory
  gateway_min_count           = var.gateway_min_count
  gateway_max_count           = var.gateway_max_count
  gateway_requests_per_target = 3000
  admin_count                 = 1

  # Database.
  db_instance_class        = var.db_instance_class
  db_multi_az              = var.db_multi_az
  db_backup_retention_days = 14
  deletion_protection      = var.deletion_protection

  # Optional protection and observability.
  waf_web_acl_arn        = var.waf_web_acl_arn
  alb_access_logs_bucket = var.alb_access_logs_bucket
  log_retention_days     = 90
  alarm_topic_arn        = var.alarm_topic_arn
}
