# Two Fargate services from the same image. tenant-admin runs the migrations (it alone holds
# the owner credentials) and is deployed first; the gateway follows once admin is steady, so
# new gateway tasks always meet a migrated schema.

locals {
  common_environment = merge(
    {
      SWITCHBOARD_BIND_HOST         = "0.0.0.0"
      SWITCHBOARD_PUBLIC_URL        = local.public_url
      SWITCHBOARD_SCIM_PORT         = tostring(local.scim_port)
      SWITCHBOARD_ADMIN_PORT        = tostring(local.admin_port)
      SWITCHBOARD_LOG_FORMAT        = "json"
      SWITCHBOARD_LOCAL_SESSIONS    = "false"
      SWITCHBOARD_DATA_DIR          = "/tmp/switchboard"
      SWITCHBOARD_DATABASE_URL      = local.database_url_owner
      SWITCHBOARD_DATABASE_APP_USER = local.db_app_username
      SWITCHBOARD_DB_POOL_SIZE      = tostring(var.db_pool_size_per_event_loop)
      SWITCHBOARD_JWT_ISSUER        = local.jwt_issuer
    },
    var.extra_environment,
  )

  service_settings = {
    gateway = {
      command         = ["gateway"]
      port            = local.scim_port
      cpu             = var.gateway_cpu
      memory          = var.gateway_memory
      security_group  = aws_security_group.gateway.id
      target_group    = aws_lb_target_group.gateway.arn
      run_migrations  = "false"
      owner_password  = false
      bootstrap_token = false
    }
    admin = {
      command         = ["admin"]
      port            = local.admin_port
      cpu             = var.admin_cpu
      memory          = var.admin_memory
      security_group  = aws_security_group.admin.id
      target_group    = aws_lb_target_group.admin.arn
      run_migrations  = "true"
      owner_password  = true
      bootstrap_token = var.create_admin_bootstrap_token
    }
  }

  service_secrets = {
    for svc, s in local.service_settings : svc => concat(
      [
        { name = "SWITCHBOARD_MASTER_KEY", valueFrom = aws_secretsmanager_secret.generated["master_key"].arn },
        { name = "SWITCHBOARD_JWT_SIGNING_KEY", valueFrom = aws_secretsmanager_secret.generated["jwt_signing_key"].arn },
        { name = "SWITCHBOARD_DATABASE_APP_PASSWORD", valueFrom = aws_secretsmanager_secret.generated["database_app_password"].arn },
      ],
      # The image's entrypoint puts this password into SWITCHBOARD_DATABASE_URL (URL-encoded).
      s.owner_password ? [{ name = "SWITCHBOARD_DATABASE_PASSWORD", valueFrom = "${local.db_owner_secret}:password::" }] : [],
      s.bootstrap_token ? [{ name = "SWITCHBOARD_ADMIN_BOOTSTRAP_TOKEN", valueFrom = aws_secretsmanager_secret.generated["admin_bootstrap_token"].arn }] : [],
    )
  }
}

resource "aws_ecs_task_definition" "this" {
  for_each = local.service_settings

  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = aws_iam_role.execution[each.key].arn
  task_role_arn            = aws_iam_role.task[each.key].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  # The root filesystem is read-only; /tmp (Netty's native libraries, JVM scratch) is task storage.
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = each.key
      image                  = var.container_image
      essential              = true
      command                = each.value.command
      user                   = "10001:10001"
      readonlyRootFilesystem = true
      # SIGKILL comes this long after SIGTERM: more than SWITCHBOARD_SHUTDOWN_DELAY (5 s) plus
      # SWITCHBOARD_DRAIN_TIMEOUT (20 s), the gateway's graceful stop.
      stopTimeout = 30

      portMappings = [{ containerPort = each.value.port, protocol = "tcp", name = each.key }]

      environment = [
        for k, v in merge(local.common_environment, { SWITCHBOARD_RUN_MIGRATIONS = each.value.run_migrations }) :
        { name = k, value = v }
      ]
      secrets = local.service_secrets[each.key]

      mountPoints = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]

      linuxParameters = { initProcessEnabled = true }
      ulimits         = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }]

      # Liveness only (/health): a database outage must make tasks unready at the load
      # balancer (/ready), not get every task killed and restarted at once.
      healthCheck = {
        command     = ["CMD", "java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-XX:-UsePerfData", "-jar", "/app/switchboard.jar", "healthcheck", "--url", "http://127.0.0.1:${each.value.port}/health"]
        interval    = 30
        timeout     = 10
        retries     = 3
        startPeriod = 90
      }

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this[each.key].name
          awslogs-region        = local.region
          awslogs-stream-prefix = each.key
          mode                  = "non-blocking"
          max-buffer-size       = "25m"
        }
      }
    }
  ])

  tags = merge(local.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_ecs_service" "admin" {
  name            = "${var.name}-admin"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this["admin"].arn
  desired_count   = var.admin_count
  launch_type     = "FARGATE"

  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 120
  enable_execute_command             = var.enable_execute_command
  propagate_tags                     = "SERVICE"
  enable_ecs_managed_tags            = true

  # Tasks read their secrets at start: a rotated secret (secret_versions) rolls the service.
  force_new_deployment  = true
  triggers              = { secret_versions = jsonencode(var.secret_versions) }
  wait_for_steady_state = true

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = local.private_subnet_ids
    security_groups  = [aws_security_group.admin.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.admin.arn
    container_name   = "admin"
    container_port   = local.admin_port
  }

  tags = merge(local.tags, { Name = "${var.name}-admin" })

  depends_on = [aws_lb_listener.admin_https, aws_secretsmanager_secret_version.generated, aws_iam_role_policy.execution]
}

resource "aws_ecs_service" "gateway" {
  name            = "${var.name}-gateway"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this["gateway"].arn
  desired_count   = var.gateway_min_count
  launch_type     = "FARGATE"

  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 90
  availability_zone_rebalancing      = "ENABLED"
  enable_execute_command             = var.enable_execute_command
  propagate_tags                     = "SERVICE"
  enable_ecs_managed_tags            = true

  # Tasks read their secrets at start: a rotated secret (secret_versions) rolls the service.
  force_new_deployment = true
  triggers             = { secret_versions = jsonencode(var.secret_versions) }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # Fargate spreads a service's tasks across the subnets' availability zones.
  network_configuration {
    subnets          = local.private_subnet_ids
    security_groups  = [aws_security_group.gateway.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.gateway.arn
    container_name   = "gateway"
    container_port   = local.scim_port
  }

  tags = merge(local.tags, { Name = "${var.name}-gateway" })

  lifecycle {
    # Autoscaling owns the running count between gateway_min_count and gateway_max_count.
    ignore_changes = [desired_count]
  }

  depends_on = [
    aws_lb_listener_rule.scim,
    aws_lb_listener_rule.jwks,
    aws_secretsmanager_secret_version.generated,
    aws_iam_role_policy.execution,
    aws_ecs_service.admin,
  ]
}

################################################################################
# Gateway autoscaling: CPU and requests per task, whichever asks for more tasks.
################################################################################

resource "aws_appautoscaling_target" "gateway" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.gateway.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.gateway_min_count
  max_capacity       = var.gateway_max_count

  tags = local.tags
}

resource "aws_appautoscaling_policy" "gateway_cpu" {
  name               = "${var.name}-gateway-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gateway.service_namespace
  resource_id        = aws_appautoscaling_target.gateway.resource_id
  scalable_dimension = aws_appautoscaling_target.gateway.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.gateway_cpu_target_percent
    scale_out_cooldown = 60
    scale_in_cooldown  = 300

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "gateway_requests" {
  name               = "${var.name}-gateway-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gateway.service_namespace
  resource_id        = aws_appautoscaling_target.gateway.resource_id
  scalable_dimension = aws_appautoscaling_target.gateway.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.gateway_requests_per_target
    scale_out_cooldown = 60
    scale_in_cooldown  = 300

    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${aws_lb.public.arn_suffix}/${aws_lb_target_group.gateway.arn_suffix}"
    }
  }
}
