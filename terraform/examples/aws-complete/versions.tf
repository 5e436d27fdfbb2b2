terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.98, < 7.0"
    }
  }

  # Keep state remote, encrypted and locked. State holds no generated secret values (they are
  # write-only), but it does describe the whole deployment. For example:
  # backend "s3" {
  #   bucket       = "acme-terraform-state"
  #   key          = "switchboard/prod.tfstate"
  #   region       = "eu-west-1"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Application = "switchboard"
      Environment = var.environment
    }
  }
}
