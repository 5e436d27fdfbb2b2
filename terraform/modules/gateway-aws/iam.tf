# One execution role per service (what ECS needs to start the task: pull the image, write
# logs, inject exactly that service's secrets) and one task role per service (what the
# application may call in AWS: nothing, unless ECS Exec is switched on).

locals {
  services = toset(["gateway", "admin"])

  # Which secrets each service's execution role may read. Only tenant-admin runs migrations,
  # so only it gets the owner credentials; the gateway never sees them.
  service_secret_arns = {
    gateway = [
      aws_secretsmanager_secret.generated["master_key"].arn,
      aws_secretsmanager_secret.generated["jwt_signing_key"].arn,
      aws_secretsmanager_secret.generated["database_app_password"].arn,
    ]
    admin = concat(
      [
        aws_secretsmanager_secret.generated["master_key"].arn,
        aws_secretsmanager_secret.generated["jwt_signing_key"].arn,
        aws_secretsmanager_secret.generated["database_app_password"].arn,
        local.db_owner_secret,
      ],
      var.create_admin_bootstrap_token ? [aws_secretsmanager_secret.generated["admin_bootstrap_token"].arn] : []
    )
  }
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  for_each = local.services

  name               = "${var.name}-${each.key}-execution"
  description        = "ECS starts Switchboard ${each.key} tasks with this role"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = merge(local.tags, { Name = "${var.name}-${each.key}-execution" })
}

data "aws_iam_policy_document" "execution" {
  for_each = local.services

  statement {
    sid       = "LogInToEcr"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullTheImage"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    resources = [coalesce(local.ecr_repository, "*")]
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this[each.key].arn}:*"]
  }

  statement {
    sid       = "ReadOwnSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.service_secret_arns[each.key]
  }

  statement {
    sid       = "DecryptOwnSecrets"
    actions   = ["kms:Decrypt"]
    resources = [local.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  for_each = local.services

  name   = "start-${each.key}-tasks"
  role   = aws_iam_role.execution[each.key].id
  policy = data.aws_iam_policy_document.execution[each.key].json
}

resource "aws_iam_role" "task" {
  for_each = local.services

  name               = "${var.name}-${each.key}-task"
  description        = "Switchboard ${each.key} application role: no AWS permissions beyond ECS Exec when enabled"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = merge(local.tags, { Name = "${var.name}-${each.key}-task" })
}

data "aws_iam_policy_document" "ecs_exec" {
  statement {
    sid       = "EcsExecChannels"
    actions   = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "ecs_exec" {
  for_each = var.enable_execute_command ? local.services : toset([])

  name   = "ecs-exec"
  role   = aws_iam_role.task[each.key].id
  policy = data.aws_iam_policy_document.ecs_exec.json
}
