terraform {
  required_version = ">= 1.11"

  required_providers {
    vault = {
      source  = "hashicorp/vault"
      version = ">= 4.0, < 6.0"
    }
  }
}

# Authenticate as a Vault administrator of your own: VAULT_TOKEN in the environment (or any
# auth the provider supports). The namespace, when you use one, is set on the resources.
provider "vault" {
  address = var.vault_address
}
