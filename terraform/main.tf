# Switchboard on AWS with the settings most operators change; everything else keeps the
# gateway-aws module's production defaults. For every knob, call modules/gateway-aws directly
# (see examples/aws-complete). The customer-side Vault module is modules/tenant-vault.

module "gateway" {
  source = "./modules/gateway-aws"

  name            = var.name
  domain_name     = var.domain_name
  route53_zone_id = var.route53_zone_id
  tags            = var.tags

  vpc_id                    = var.vpc_id
  public_subnet_ids         = var.public_subnet_ids
  private_subnet_ids        = var.private_subnet_ids
  admin_allowed_cidr_blocks = var.admin_allowed_cidr_blocks

  container_image   = var.container_image
  cpu_architecture  = var.cpu_architecture
  gateway_cpu       = var.gateway_cpu
  gateway_memory    = var.gateway_memory
  gateway_min_count = var.gateway_min_count
  gateway_max_count = var.gateway_max_count

  db_instance_class   = var.db_instance_class
  db_multi_az         = var.db_multi_az
  deletion_protection = var.deletion_protection
}
