# A minimal, highly available VPC when none is given: one public and one private subnet per
# zone, a NAT gateway per zone (tasks reach customer Vaults through it), a free S3 gateway
# endpoint for image layers, and a default security group that allows nothing.

locals {
  create_vpc = var.vpc_id == null

  azs = local.create_vpc ? (
    length(var.availability_zones) > 0 ? var.availability_zones : slice(data.aws_availability_zones.available[0].names, 0, var.az_count)
  ) : []

  vpc_id             = local.create_vpc ? aws_vpc.this[0].id : var.vpc_id
  vpc_cidr           = local.create_vpc ? aws_vpc.this[0].cidr_block : data.aws_vpc.existing[0].cidr_block
  public_subnet_ids  = local.create_vpc ? aws_subnet.public[*].id : var.public_subnet_ids
  private_subnet_ids = local.create_vpc ? aws_subnet.private[*].id : var.private_subnet_ids
  nat_count          = local.create_vpc ? (var.single_nat_gateway ? 1 : length(local.azs)) : 0
}

data "aws_availability_zones" "available" {
  count = local.create_vpc && length(var.availability_zones) == 0 ? 1 : 0
  state = "available"
}

data "aws_vpc" "existing" {
  count = local.create_vpc ? 0 : 1
  id    = var.vpc_id
}

resource "aws_vpc" "this" {
  count = local.create_vpc ? 1 : 0

  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(local.tags, { Name = var.name })
}

resource "aws_default_security_group" "this" {
  count  = local.create_vpc ? 1 : 0
  vpc_id = aws_vpc.this[0].id

  tags = merge(local.tags, { Name = "${var.name}-default-deny" })
}

resource "aws_internet_gateway" "this" {
  count  = local.create_vpc ? 1 : 0
  vpc_id = aws_vpc.this[0].id

  tags = merge(local.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  count = length(local.azs)

  vpc_id            = aws_vpc.this[0].id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 4, count.index)

  tags = merge(local.tags, { Name = "${var.name}-public-${local.azs[count.index]}", Tier = "public" })
}

resource "aws_subnet" "private" {
  count = length(local.azs)

  vpc_id            = aws_vpc.this[0].id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 4, count.index + 8)

  tags = merge(local.tags, { Name = "${var.name}-private-${local.azs[count.index]}", Tier = "private" })
}

resource "aws_route_table" "public" {
  count  = local.create_vpc ? 1 : 0
  vpc_id = aws_vpc.this[0].id

  tags = merge(local.tags, { Name = "${var.name}-public" })
}

resource "aws_route" "public_internet" {
  count = local.create_vpc ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  count = length(local.azs)

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  count  = local.nat_count
  domain = "vpc"

  tags = merge(local.tags, { Name = "${var.name}-nat-${local.azs[count.index]}" })
}

resource "aws_nat_gateway" "this" {
  count = local.nat_count

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id

  tags       = merge(local.tags, { Name = "${var.name}-${local.azs[count.index]}" })
  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "private" {
  count  = length(local.azs)
  vpc_id = aws_vpc.this[0].id

  tags = merge(local.tags, { Name = "${var.name}-private-${local.azs[count.index]}" })
}

resource "aws_route" "private_nat" {
  count = length(local.azs)

  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[var.single_nat_gateway ? 0 : count.index].id
}

resource "aws_route_table_association" "private" {
  count = length(local.azs)

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

resource "aws_vpc_endpoint" "s3" {
  count = local.create_vpc ? 1 : 0

  vpc_id            = aws_vpc.this[0].id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id

  tags = merge(local.tags, { Name = "${var.name}-s3" })
}

################################################################################
# Security groups: each piece accepts traffic only from the piece in front of it.
#   internet -> public ALB (80, 443) -> gateway tasks (8080) -> database (5432)
#   operators -> internal ALB (443) -> admin tasks (8081) -> database (5432)
#   tasks -> customer Vaults and AWS APIs (vault_egress_ports)
################################################################################

resource "aws_security_group" "public_alb" {
  name        = "${var.name}-public-alb"
  description = "Switchboard public load balancer: HTTPS and the HTTP redirect from anywhere"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-public-alb" })
}

resource "aws_security_group" "gateway" {
  name        = "${var.name}-gateway"
  description = "Switchboard gateway tasks: SCIM port from the public load balancer only"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-gateway" })
}

resource "aws_security_group" "admin_alb" {
  name        = "${var.name}-admin-alb"
  description = "Switchboard internal load balancer: HTTPS from operator networks only"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-admin-alb" })
}

resource "aws_security_group" "admin" {
  name        = "${var.name}-admin"
  description = "Switchboard tenant-admin tasks: admin port from the internal load balancer only"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-admin" })
}

resource "aws_security_group" "database" {
  name        = "${var.name}-database"
  description = "Switchboard database: PostgreSQL from the gateway and admin tasks only"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-database" })
}

resource "aws_vpc_security_group_ingress_rule" "public_alb" {
  for_each = { http = 80, https = 443 }

  security_group_id = aws_security_group.public_alb.id
  description       = "${upper(each.key)} from the internet"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
}

resource "aws_vpc_security_group_egress_rule" "public_alb_to_gateway" {
  security_group_id            = aws_security_group.public_alb.id
  description                  = "To the gateway tasks"
  referenced_security_group_id = aws_security_group.gateway.id
  ip_protocol                  = "tcp"
  from_port                    = local.scim_port
  to_port                      = local.scim_port
}

resource "aws_vpc_security_group_ingress_rule" "gateway_from_public_alb" {
  security_group_id            = aws_security_group.gateway.id
  description                  = "SCIM port from the public load balancer"
  referenced_security_group_id = aws_security_group.public_alb.id
  ip_protocol                  = "tcp"
  from_port                    = local.scim_port
  to_port                      = local.scim_port
}

locals {
  admin_ingress_cidrs = length(var.admin_allowed_cidr_blocks) > 0 ? var.admin_allowed_cidr_blocks : [local.vpc_cidr]
}

resource "aws_vpc_security_group_ingress_rule" "admin_alb_from_cidr" {
  count = length(local.admin_ingress_cidrs)

  security_group_id = aws_security_group.admin_alb.id
  description       = "HTTPS from an operator network"
  cidr_ipv4         = local.admin_ingress_cidrs[count.index]
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "admin_alb_from_sg" {
  for_each = toset(var.admin_allowed_security_group_ids)

  security_group_id            = aws_security_group.admin_alb.id
  description                  = "HTTPS from an operator security group"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_security_group_egress_rule" "admin_alb_to_admin" {
  security_group_id            = aws_security_group.admin_alb.id
  description                  = "To the tenant-admin tasks"
  referenced_security_group_id = aws_security_group.admin.id
  ip_protocol                  = "tcp"
  from_port                    = local.admin_port
  to_port                      = local.admin_port
}

resource "aws_vpc_security_group_ingress_rule" "admin_from_admin_alb" {
  security_group_id            = aws_security_group.admin.id
  description                  = "Admin port from the internal load balancer"
  referenced_security_group_id = aws_security_group.admin_alb.id
  ip_protocol                  = "tcp"
  from_port                    = local.admin_port
  to_port                      = local.admin_port
}

locals {
  task_security_groups = {
    gateway = aws_security_group.gateway.id
    admin   = aws_security_group.admin.id
  }
  task_egress = { for pair in setproduct(keys(local.task_security_groups), var.vault_egress_cidr_blocks, var.vault_egress_ports) :
    "${pair[0]}-${pair[1]}-${pair[2]}" => { service = pair[0], cidr = pair[1], port = pair[2] }
  }
}

resource "aws_vpc_security_group_egress_rule" "task_to_database" {
  for_each = local.task_security_groups

  security_group_id            = each.value
  description                  = "PostgreSQL"
  referenced_security_group_id = aws_security_group.database.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_vpc_security_group_egress_rule" "task_to_vault_and_aws" {
  for_each = local.task_egress

  security_group_id = local.task_security_groups[each.value.service]
  description       = "Customer Vaults, AWS APIs and the image registry"
  cidr_ipv4         = each.value.cidr
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
}

resource "aws_vpc_security_group_ingress_rule" "database_from_tasks" {
  for_each = local.task_security_groups

  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the ${each.key} tasks"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}
