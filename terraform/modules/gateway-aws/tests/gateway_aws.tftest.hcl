# Plan-only tests of the gateway stack's security and availability properties.
#
# Mock providers cannot serve ephemeral resources yet, so these runs use the real aws provider
# with dummy credentials and no AWS account: terraform/check.sh points Secrets Manager at a local
# test double (scripts/fake_secretsmanager.py) for the one call planning makes. Data sources are
# overridden; resource ids the assertions compare are overridden during plan.

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "test-only"
  secret_key                  = "test-only"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

variables {
  domain_name     = "scim.example.com"
  route53_zone_id = "Z0123456789ABCDEFGHIJ"
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = data.aws_availability_zones.available
  values = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
}

override_data {
  target = data.aws_vpc.existing
  values = { cidr_block = "10.9.0.0/16" }
}

override_resource {
  target          = aws_security_group.public_alb
  override_during = plan
  values          = { id = "sg-0000000000000a1b0" }
}

override_resource {
  target          = aws_security_group.gateway
  override_during = plan
  values          = { id = "sg-0000000000000a1b1" }
}

override_resource {
  target          = aws_security_group.admin_alb
  override_during = plan
  values          = { id = "sg-0000000000000a1b2" }
}

override_resource {
  target          = aws_security_group.admin
  override_during = plan
  values          = { id = "sg-0000000000000a1b3" }
}

override_resource {
  target          = aws_security_group.database
  override_during = plan
  values          = { id = "sg-0000000000000a1b4" }
}

override_resource {
  target          = aws_secretsmanager_secret.generated
  override_during = plan
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:switchboard/generated-AbCdEf" }
}

override_resource {
  target          = aws_db_instance.this
  override_during = plan
  values = {
    address            = "switchboard.abc123.eu-west-1.rds.amazonaws.com"
    port               = 5432
    master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-owner-AbCdEf", kms_key_id = "k", secret_status = "active" }]
  }
}

override_resource {
  target          = aws_cloudwatch_log_group.this
  override_during = plan
  values          = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/switchboard/test" }
}

override_resource {
  target          = aws_kms_key.this
  override_during = plan
  values          = { arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000", key_id = "00000000-0000-0000-0000-000000000000" }
}

override_resource {
  target          = aws_lb.public
  override_during = plan
  values          = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/switchboard-public/1" }
}

override_resource {
  target          = aws_lb.admin
  override_during = plan
  values          = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/switchboard-admin/2" }
}

override_resource {
  target          = aws_lb_target_group.gateway
  override_during = plan
  values          = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/switchboard-gw-tg/3" }
}

override_resource {
  target          = aws_lb_target_group.admin
  override_during = plan
  values          = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/switchboard-admin-tg/4" }
}

run "public_edge_is_https_only_and_forwards_only_scim_and_jwks" {
  command = plan

  assert {
    condition     = aws_lb.public.internal == false && aws_lb.public.drop_invalid_header_fields
    error_message = "The public load balancer must be internet-facing and drop invalid headers."
  }

  assert {
    condition     = aws_lb_listener.public_https.protocol == "HTTPS" && startswith(aws_lb_listener.public_https.ssl_policy, "ELBSecurityPolicy-TLS13-1-2")
    error_message = "The public listener must be HTTPS with a TLS 1.2+ policy."
  }

  assert {
    condition = (
      aws_lb_listener.public_http.default_action[0].type == "redirect" &&
      aws_lb_listener.public_http.default_action[0].redirect[0].protocol == "HTTPS" &&
      aws_lb_listener.public_http.default_action[0].redirect[0].status_code == "HTTP_301"
    )
    error_message = "Port 80 must only redirect to HTTPS."
  }

  assert {
    condition = (
      aws_lb_listener.public_https.default_action[0].type == "fixed-response" &&
      aws_lb_listener.public_https.default_action[0].fixed_response[0].status_code == "404"
    )
    error_message = "Paths other than SCIM and JWKS must get a 404 from the load balancer, never reach a task."
  }

  assert {
    condition     = toset(flatten([for c in aws_lb_listener_rule.scim.condition : [for p in c.path_pattern : p.values]])) == toset(["/scim/v2", "/scim/v2/*"])
    error_message = "The SCIM rule must forward exactly /scim/v2 and /scim/v2/*."
  }

  assert {
    condition     = toset(flatten([for c in aws_lb_listener_rule.jwks.condition : [for p in c.path_pattern : p.values]])) == toset(["/.well-known/jwks.json"])
    error_message = "The JWKS rule must forward exactly /.well-known/jwks.json."
  }

  assert {
    condition     = length(aws_route53_record.certificate_validation) == 2 && length(aws_route53_record.public) == 1
    error_message = "With a zone, the module must validate the certificate and create the public alias."
  }
}

run "tenant_admin_is_private" {
  command = plan

  assert {
    condition     = aws_lb.admin.internal
    error_message = "tenant-admin's load balancer must be internal."
  }

  assert {
    condition = (
      aws_lb_listener.admin_https.load_balancer_arn == aws_lb.admin.arn &&
      aws_lb_listener.public_http.load_balancer_arn == aws_lb.public.arn &&
      aws_lb_listener.public_https.load_balancer_arn == aws_lb.public.arn &&
      aws_lb_listener_rule.scim.action[0].target_group_arn == aws_lb_target_group.gateway.arn &&
      aws_lb_listener_rule.jwks.action[0].target_group_arn == aws_lb_target_group.gateway.arn
    )
    error_message = "No public listener or rule may lead to tenant-admin; its only listener is on the internal load balancer."
  }

  assert {
    condition     = aws_lb_listener.admin_https.protocol == "HTTPS" && startswith(aws_lb_listener.admin_https.ssl_policy, "ELBSecurityPolicy-TLS13-1-2")
    error_message = "The admin listener must be HTTPS with a TLS 1.2+ policy."
  }

  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.admin_alb_from_cidr : r.cidr_ipv4 != "0.0.0.0/0"]) && aws_vpc_security_group_ingress_rule.admin_alb_from_cidr[0].cidr_ipv4 == "10.40.0.0/16"
    error_message = "By default only the VPC may reach tenant-admin."
  }

  assert {
    condition     = output.admin_url == "https://admin.scim.example.com"
    error_message = "The admin URL must default to admin.<domain_name>."
  }
}

run "gateway_is_highly_available_and_rolls_back" {
  command = plan

  assert {
    condition     = aws_ecs_service.gateway.desired_count >= 2 && aws_appautoscaling_target.gateway.min_capacity >= 2
    error_message = "At least two gateway tasks must run."
  }

  assert {
    condition     = aws_ecs_service.gateway.deployment_circuit_breaker[0].enable && aws_ecs_service.gateway.deployment_circuit_breaker[0].rollback
    error_message = "Gateway deployments must roll back when they fail."
  }

  assert {
    condition     = aws_ecs_service.gateway.triggers["secret_versions"] == jsonencode({ master_key = 1, jwt_signing_key = 1, database_app_password = 1, admin_bootstrap_token = 1 })
    error_message = "Rotating a generated secret must roll the services."
  }

  assert {
    condition     = aws_ecs_service.gateway.deployment_minimum_healthy_percent == 100
    error_message = "A deployment must not take running gateway tasks away before replacements are healthy."
  }

  assert {
    condition = toset([
      aws_appautoscaling_policy.gateway_cpu.target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type,
      aws_appautoscaling_policy.gateway_requests.target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type,
    ]) == toset(["ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"])
    error_message = "The gateway must scale on CPU and on requests per target."
  }

  assert {
    condition     = aws_lb_target_group.gateway.health_check[0].path == "/ready" && aws_lb_target_group.admin.health_check[0].path == "/ready"
    error_message = "Both target groups must check /ready."
  }

  assert {
    condition     = length(aws_subnet.private) == 3 && length(aws_nat_gateway.this) == 3
    error_message = "The created VPC must span three zones with a NAT gateway in each."
  }

  assert {
    condition     = aws_ecs_task_definition.this["gateway"].runtime_platform[0].cpu_architecture == "ARM64"
    error_message = "Tasks must default to ARM64."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["gateway-healthy-tasks"].threshold == 2 &&
      aws_cloudwatch_metric_alarm.this["gateway-healthy-tasks"].treat_missing_data == "breaching" &&
      length(aws_cloudwatch_metric_alarm.this["gateway-5xx"].metric_query) == 4
    )
    error_message = "An alarm must fire when fewer than gateway_min_count tasks are healthy, and on the 5xx ratio."
  }
}

run "tasks_get_secrets_from_secrets_manager_and_the_gateway_no_owner_credentials" {
  command = plan

  assert {
    condition = alltrue([
      for svc in ["gateway", "admin"] : alltrue([
        for c in jsondecode(aws_ecs_task_definition.this[svc].container_definitions) :
        c.readonlyRootFilesystem && c.user == "10001:10001" && length([
          for e in c.environment : e.name if can(regex("KEY|PASSWORD|TOKEN|SECRET", e.name))
        ]) == 0
      ])
    ])
    error_message = "Containers must run read-only as non-root, with no secret among plain environment variables."
  }

  assert {
    condition = toset([for s in jsondecode(aws_ecs_task_definition.this["gateway"].container_definitions)[0].secrets : s.name]) == toset([
      "SWITCHBOARD_MASTER_KEY", "SWITCHBOARD_JWT_SIGNING_KEY", "SWITCHBOARD_DATABASE_APP_PASSWORD",
    ])
    error_message = "The gateway must receive exactly the master key, the JWT signing key and the app password."
  }

  assert {
    condition = contains([for s in jsondecode(aws_ecs_task_definition.this["admin"].container_definitions)[0].secrets : s.name], "SWITCHBOARD_DATABASE_PASSWORD") && contains([
      for e in jsondecode(aws_ecs_task_definition.this["admin"].container_definitions)[0].environment : "${e.name}=${e.value}"
    ], "SWITCHBOARD_RUN_MIGRATIONS=true")
    error_message = "tenant-admin runs the migrations with the owner password."
  }

  assert {
    condition = contains([
      for e in jsondecode(aws_ecs_task_definition.this["gateway"].container_definitions)[0].environment : "${e.name}=${e.value}"
    ], "SWITCHBOARD_DATABASE_URL=postgresql://switchboard_owner@switchboard.abc123.eu-west-1.rds.amazonaws.com:5432/switchboard?sslmode=verify-full")
    error_message = "The database URL must carry no password and verify the server certificate."
  }

  assert {
    condition     = alltrue([for v in aws_secretsmanager_secret_version.generated : v.secret_string_wo_version == 1 && v.secret_string == null])
    error_message = "Generated secrets must be written through the write-only attribute."
  }

  assert {
    condition     = alltrue([for k, arn in output.secret_arns : startswith(arn, "arn:aws:secretsmanager:")]) && length(output.secret_arns) == 4
    error_message = "Outputs must expose secrets only as ARNs."
  }
}

run "database_is_private_encrypted_backed_up_and_protected" {
  command = plan

  assert {
    condition     = aws_db_instance.this.storage_encrypted && !aws_db_instance.this.publicly_accessible
    error_message = "The database must be encrypted and not publicly accessible."
  }

  assert {
    condition     = aws_db_instance.this.deletion_protection && !aws_db_instance.this.skip_final_snapshot && aws_lb.public.enable_deletion_protection
    error_message = "Deletion protection must be on by default, with a final snapshot."
  }

  assert {
    condition     = aws_db_instance.this.backup_retention_period >= 7 && aws_db_instance.this.multi_az
    error_message = "Backups must be kept and Multi-AZ on by default."
  }

  assert {
    condition     = aws_db_instance.this.manage_master_user_password && aws_db_instance.this.password == null
    error_message = "RDS must manage the owner password in Secrets Manager."
  }

  assert {
    condition     = contains([for p in aws_db_parameter_group.this.parameter : "${p.name}=${p.value}"], "rds.force_ssl=1")
    error_message = "The database must refuse unencrypted connections."
  }

  assert {
    condition = (
      toset([for r in aws_vpc_security_group_ingress_rule.database_from_tasks : r.referenced_security_group_id]) == toset(["sg-0000000000000a1b1", "sg-0000000000000a1b3"]) &&
      alltrue([for r in aws_vpc_security_group_ingress_rule.database_from_tasks : r.cidr_ipv4 == null && r.from_port == 5432])
    )
    error_message = "Only the gateway and admin tasks may reach the database."
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.gateway_from_public_alb.referenced_security_group_id == "sg-0000000000000a1b0" &&
      aws_vpc_security_group_ingress_rule.gateway_from_public_alb.cidr_ipv4 == null &&
      aws_vpc_security_group_ingress_rule.admin_from_admin_alb.referenced_security_group_id == "sg-0000000000000a1b2"
    )
    error_message = "Tasks must accept traffic only from their own load balancer."
  }
}

run "existing_vpc_without_managed_dns" {
  command = plan

  variables {
    vpc_id                       = "vpc-0123456789abcdef0"
    public_subnet_ids            = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
    private_subnet_ids           = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"]
    route53_zone_id              = null
    cpu_architecture             = "X86_64"
    container_image              = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/switchboard@sha256:0000000000000000000000000000000000000000000000000000000000000000"
    db_multi_az                  = false
    create_admin_bootstrap_token = false
  }

  assert {
    condition     = length(aws_vpc.this) == 0 && length(aws_nat_gateway.this) == 0 && output.vpc_id == "vpc-0123456789abcdef0"
    error_message = "An existing VPC must be used as is."
  }

  assert {
    condition     = length(aws_route53_record.certificate_validation) == 0 && length(aws_route53_record.public) == 0 && length(aws_acm_certificate.this) == 1
    error_message = "Without a zone the module requests the certificate but creates no records."
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.admin_alb_from_cidr[0].cidr_ipv4 == "10.9.0.0/16"
    error_message = "tenant-admin must default to the existing VPC's range."
  }

  assert {
    condition     = aws_ecs_task_definition.this["gateway"].runtime_platform[0].cpu_architecture == "X86_64"
    error_message = "cpu_architecture must reach the task definitions."
  }

  assert {
    condition     = !contains(keys(aws_secretsmanager_secret.generated), "admin_bootstrap_token")
    error_message = "The bootstrap token must be optional."
  }
}

# One run for every refusal: each listed variable must fail its own validation, so a check
# that silently stops refusing bad input fails this run.
run "rejects_unsafe_or_impossible_input" {
  command = plan

  variables {
    gateway_min_count         = 1
    ssl_policy                = "ELBSecurityPolicy-2016-08"
    admin_allowed_cidr_blocks = ["0.0.0.0/0"]
    container_image           = "ghcr.io/switchboard-scim/switchboard:latest"
    cpu_architecture          = "arm"
    vpc_id                    = "vpc-0123456789abcdef0"
    db_backup_retention_days  = 0
    gateway_cpu               = 2048
    gateway_memory            = 2048
    extra_environment         = { SWITCHBOARD_MASTER_KEY = "not-here" }
  }

  expect_failures = [
    var.gateway_min_count,
    var.ssl_policy,
    var.admin_allowed_cidr_blocks,
    var.container_image,
    var.cpu_architecture,
    var.public_subnet_ids,
    var.private_subnet_ids,
    var.db_backup_retention_days,
    var.gateway_memory,
    var.extra_environment,
  ]
}

run "existing_certificate_is_used_as_is" {
  command = plan

  variables {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
  }

  assert {
    condition     = length(aws_acm_certificate.this) == 0 && length(aws_route53_record.certificate_validation) == 0
    error_message = "With certificate_arn the module must not request a certificate."
  }

  assert {
    condition = (
      aws_lb_listener.public_https.certificate_arn == var.certificate_arn &&
      aws_lb_listener.admin_https.certificate_arn == var.certificate_arn
    )
    error_message = "Both HTTPS listeners must use the given certificate."
  }
}

run "single_nat_gateway_and_two_zones" {
  command = plan

  variables {
    availability_zones = ["eu-west-1a", "eu-west-1b"]
    single_nat_gateway = true
  }

  assert {
    condition     = length(aws_subnet.public) == 2 && length(aws_nat_gateway.this) == 1 && length(aws_route.private_nat) == 2
    error_message = "A single NAT gateway must serve every private subnet."
  }

  assert {
    condition     = toset(aws_subnet.private[*].cidr_block) == toset(["10.40.128.0/20", "10.40.144.0/20"])
    error_message = "Private subnets must be carved from the upper half of the VPC range."
  }
}
