terraform {
  # 1.11 brings write-only attributes: generated secrets go to AWS without touching state.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.98 adds secret_string_wo and the ephemeral aws_secretsmanager_random_password.
      version = ">= 5.98, < 7.0"
    }
  }
}
