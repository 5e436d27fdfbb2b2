# The few alarms that mean "identity providers are failing to provision": the edge answering
# 5xx, fewer healthy gateway tasks than the minimum, and the database running out of CPU,
# storage or connections.

locals {
  alarm_actions = var.alarm_topic_arn == null ? [] : [var.alarm_topic_arn]

  alarms = {
    gateway-5xx = {
      description = "The gateway or the load balancer answered 5xx to more than 5% of SCIM requests for 5 minutes."
      namespace   = "AWS/ApplicationELB"
      dimensions  = { LoadBalancer = aws_lb.public.arn_suffix }
      metric      = null
      threshold   = 5
      comparison  = "GreaterThanThreshold"
      periods     = 5
      metrics = {
        errors   = { metric = "HTTPCode_Target_5XX_Count", stat = "Sum" }
        elb5xx   = { metric = "HTTPCode_ELB_5XX_Count", stat = "Sum" }
        requests = { metric = "RequestCount", stat = "Sum" }
      }
      expression = "100 * (FILL(errors, 0) + FILL(elb5xx, 0)) / IF(FILL(requests, 0) > 0, requests, 1)"
    }
    gateway-healthy-tasks = {
      description = "Fewer healthy gateway tasks than gateway_min_count for 5 minutes."
      namespace   = "AWS/ApplicationELB"
      dimensions  = { LoadBalancer = aws_lb.public.arn_suffix, TargetGroup = aws_lb_target_group.gateway.arn_suffix }
      metric      = { name = "HealthyHostCount", stat = "Minimum" }
      threshold   = var.gateway_min_count
      comparison  = "LessThanThreshold"
      periods     = 5
      metrics     = {}
      expression  = null
    }
    database-cpu = {
      description = "Database CPU above 80% for 15 minutes: scale db_instance_class (see the sizing table)."
      namespace   = "AWS/RDS"
      dimensions  = { DBInstanceIdentifier = aws_db_instance.this.identifier }
      metric      = { name = "CPUUtilization", stat = "Average" }
      threshold   = 80
      comparison  = "GreaterThanThreshold"
      periods     = 15
      metrics     = {}
      expression  = null
    }
    database-storage = {
      description = "Less than 10 GiB of database storage left (autoscaling stops at db_max_allocated_storage_gb)."
      namespace   = "AWS/RDS"
      dimensions  = { DBInstanceIdentifier = aws_db_instance.this.identifier }
      metric      = { name = "FreeStorageSpace", stat = "Minimum" }
      threshold   = 10 * 1024 * 1024 * 1024
      comparison  = "LessThanThreshold"
      periods     = 5
      metrics     = {}
      expression  = null
    }
    database-connections = {
      description = "Database connections near the limit: lower gateway_max_count or db_pool_size_per_event_loop, or grow the instance."
      namespace   = "AWS/RDS"
      dimensions  = { DBInstanceIdentifier = aws_db_instance.this.identifier }
      metric      = { name = "DatabaseConnections", stat = "Maximum" }
      threshold   = (var.gateway_max_count * ceil(var.gateway_cpu / 1024) + var.admin_count * ceil(var.admin_cpu / 1024)) * var.db_pool_size_per_event_loop * 2
      comparison  = "GreaterThanThreshold"
      periods     = 5
      metrics     = {}
      expression  = null
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.periods
  treat_missing_data  = each.key == "gateway-healthy-tasks" ? "breaching" : "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  # Single-metric alarms.
  namespace   = each.value.metric == null ? null : each.value.namespace
  metric_name = each.value.metric == null ? null : each.value.metric.name
  statistic   = each.value.metric == null ? null : each.value.metric.stat
  period      = each.value.metric == null ? null : 60
  dimensions  = each.value.metric == null ? null : each.value.dimensions

  # Metric-math alarms.
  dynamic "metric_query" {
    for_each = each.value.metrics
    content {
      id = metric_query.key
      metric {
        namespace   = each.value.namespace
        metric_name = metric_query.value.metric
        stat        = metric_query.value.stat
        period      = 60
        dimensions  = each.value.dimensions
      }
    }
  }

  dynamic "metric_query" {
    for_each = each.value.expression == null ? [] : [each.value.expression]
    content {
      id          = "ratio"
      expression  = metric_query.value
      label       = "5xx percent"
      return_data = true
    }
  }

  tags = merge(local.tags, { Name = "${var.name}-${each.key}" })
}
