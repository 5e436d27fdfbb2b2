# PostgreSQL on RDS: private, encrypted with the deployment's KMS key, TLS enforced, backed
# up, protected from deletion. RDS generates the owner (master) password and keeps it in
# Secrets Manager, rotating it itself; Terraform never sees it.

locals {
  db_name            = "switchboard"
  db_owner_username  = "switchboard_owner"
  db_app_username    = "switchboard_app"
  db_major_version   = split(".", var.db_engine_version)[0]
  db_owner_secret    = aws_db_instance.this.master_user_secret[0].secret_arn
  database_url_owner = "postgresql://${local.db_owner_username}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${local.db_name}?sslmode=${var.db_sslmode}"
}

resource "aws_db_subnet_group" "this" {
  name        = var.name
  description = "Switchboard database subnets (private)"
  subnet_ids  = local.private_subnet_ids

  tags = merge(local.tags, { Name = var.name })
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-pg${local.db_major_version}-"
  family      = "postgres${local.db_major_version}"
  description = "Switchboard: TLS only, slow-query and lock logging, pg_stat_statements"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "password_encryption"
    value = "scram-sha-256"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  parameter {
    name  = "log_lock_waits"
    value = "1"
  }

  parameter {
    # A connection left inside a transaction must not hold row locks for long.
    name  = "idle_in_transaction_session_timeout"
    value = "60000"
  }

  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements"
    apply_method = "pending-reboot"
  }

  tags = merge(local.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.db_engine_version
  instance_class = var.db_instance_class
  db_name        = local.db_name
  port           = 5432

  username                      = local.db_owner_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = local.kms_key_arn

  allocated_storage     = var.db_allocated_storage_gb
  max_allocated_storage = var.db_max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = local.kms_key_arn

  multi_az               = var.db_multi_az
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.database.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  backup_retention_period   = var.db_backup_retention_days
  backup_window             = var.db_backup_window
  maintenance_window        = var.db_maintenance_window
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-final"

  auto_minor_version_upgrade      = true
  allow_major_version_upgrade     = false
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]

  performance_insights_enabled          = !startswith(var.db_instance_class, "db.t")
  performance_insights_kms_key_id       = startswith(var.db_instance_class, "db.t") ? null : local.kms_key_arn
  performance_insights_retention_period = startswith(var.db_instance_class, "db.t") ? null : 7

  tags = merge(local.tags, { Name = var.name })

  lifecycle {
    # A major-version change is a planned migration, not a side effect of a plan.
    ignore_changes = [engine_version]
  }
}
