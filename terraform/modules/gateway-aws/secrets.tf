# Generated secrets: AWS generates each value (GetRandomPassword) as an ephemeral value and
# Terraform writes it to Secrets Manager through a write-only attribute, so the value is in
# neither the plan nor the state. Raising a number in var.secret_versions writes a new value.

locals {
  generated_secrets = merge(
    {
      master_key = {
        description = "SWITCHBOARD_MASTER_KEY: seals operator-held credentials (such as AppRole secret ids) in the database"
        length      = 64
      }
      jwt_signing_key = {
        description = "SWITCHBOARD_JWT_SIGNING_KEY: signs the JWTs the gateway presents to customer Vaults"
        length      = 64
      }
      database_app_password = {
        description = "SWITCHBOARD_DATABASE_APP_PASSWORD: the switchboard_app role, which row-level security applies to"
        length      = 48
      }
    },
    var.create_admin_bootstrap_token ? {
      admin_bootstrap_token = {
        description = "SWITCHBOARD_ADMIN_BOOTSTRAP_TOKEN: fleet-scope tenant-admin key for creating the first operator keys"
        length      = 43
      }
    } : {}
  )
}

ephemeral "aws_secretsmanager_random_password" "value" {
  for_each = local.generated_secrets

  password_length     = each.value.length
  exclude_punctuation = true
}

# The bootstrap token's id half is 32 lower-case hex characters (sba_<id>_<secret>).
ephemeral "aws_secretsmanager_random_password" "bootstrap_token_id" {
  count = var.create_admin_bootstrap_token ? 1 : 0

  password_length     = 32
  exclude_punctuation = true
  exclude_uppercase   = true
  exclude_characters  = "ghijklmnopqrstuvwxyz"
}

resource "aws_secretsmanager_secret" "generated" {
  for_each = local.generated_secrets

  name                    = "${var.name}/${replace(each.key, "_", "-")}"
  description             = each.value.description
  kms_key_id              = local.kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_days

  tags = merge(local.tags, { Name = "${var.name}/${replace(each.key, "_", "-")}" })
}

resource "aws_secretsmanager_secret_version" "generated" {
  for_each = local.generated_secrets

  secret_id = aws_secretsmanager_secret.generated[each.key].id
  secret_string_wo = (each.key == "admin_bootstrap_token"
    ? "sba_${ephemeral.aws_secretsmanager_random_password.bootstrap_token_id[0].random_password}_${ephemeral.aws_secretsmanager_random_password.value[each.key].random_password}"
    : ephemeral.aws_secretsmanager_random_password.value[each.key].random_password
  )
  secret_string_wo_version = var.secret_versions[each.key]
}
