################################################################################
# The tenant and the gateway (values the Switchboard operator gives you)
################################################################################

variable "tenant_id" {
  description = "The tenant id the Switchboard operator gave you (a UUID). The gateway's login JWTs carry it as sub, and the JWT role accepts no other subject."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.tenant_id))
    error_message = "The tenant_id must be a lower-case UUID such as 3f0c9a52-7d1e-4c1b-9a53-0d6f2b1e8c47."
  }
}

variable "tenant_slug" {
  description = "The tenant's short name the operator gave you (such as acme). It names the session path switchboard/<tenant_slug>/scimsession and the Vault policy and role."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$", var.tenant_slug))
    error_message = "The tenant_slug must be 2 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "gateway_jwks_url" {
  description = "The gateway's public JWKS URL (the operator's jwks_url output), such as https://scim.example.com/.well-known/jwks.json. Vault fetches the gateway's public keys from it."
  type        = string
  default     = null

  validation {
    condition     = var.gateway_jwks_url == null || can(regex("^https://[^/]+/.*jwks\\.json$", var.gateway_jwks_url))
    error_message = "The gateway_jwks_url must be an https:// URL ending in jwks.json."
  }

  validation {
    condition     = var.gateway_jwks_url != null || var.auth_method != "jwt" || !var.create_auth_backend
    error_message = "The gateway_jwks_url is required to create a JWT auth backend (auth_method = jwt)."
  }
}

variable "gateway_jwt_issuer" {
  description = "The iss claim of the gateway's JWTs (the operator's jwt_issuer output), such as https://scim.example.com."
  type        = string
  default     = null

  validation {
    condition     = var.gateway_jwt_issuer == null || can(regex("^https://", var.gateway_jwt_issuer))
    error_message = "The gateway_jwt_issuer must be an https:// URL."
  }

  validation {
    condition     = var.gateway_jwt_issuer != null || var.auth_method != "jwt" || !var.create_auth_backend
    error_message = "The gateway_jwt_issuer is required to create a JWT auth backend (auth_method = jwt)."
  }
}

variable "gateway_jwt_audience" {
  description = "The aud claim the gateway puts in JWTs for your Vault (the operator's SWITCHBOARD_JWT_AUDIENCE); the role accepts only this audience."
  type        = string
  default     = "vault"
}

variable "gateway_jwt_algorithms" {
  description = "The signing algorithms Vault accepts from the gateway."
  type        = list(string)
  default     = ["ES256", "RS256", "EdDSA"]

  validation {
    condition     = length(var.gateway_jwt_algorithms) > 0 && alltrue([for a in var.gateway_jwt_algorithms : contains(["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"], a)])
    error_message = "The gateway_jwt_algorithms must be asymmetric JWT algorithms Vault supports (RS*, ES*, PS*, EdDSA); HMAC algorithms are refused."
  }
}

variable "gateway_egress_cidr_blocks" {
  description = "The gateway's public egress addresses (the operator's egress_public_ips output, as /32 blocks). Vault tokens and AppRole secret ids then work only from there. Empty allows any source."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.gateway_egress_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "Every gateway_egress_cidr_blocks entry must be a CIDR block such as 203.0.113.10/32."
  }
}

################################################################################
# Your Vault
################################################################################

variable "vault_address" {
  description = "Your Vault's address as the gateway reaches it (https://vault.example.com:8200). The module only reports it to the operator; the provider block decides where Terraform applies."
  type        = string

  validation {
    condition     = can(regex("^https://", var.vault_address))
    error_message = "The vault_address must be an https:// URL: the gateway does not talk to Vault in clear text."
  }
}

variable "vault_ca_pem" {
  description = "The PEM CA certificate the gateway should trust for your Vault, when it is not signed by a public CA. Reported to the operator; not a secret."
  type        = string
  default     = null

  validation {
    condition     = var.vault_ca_pem == null || can(regex("-----BEGIN CERTIFICATE-----", var.vault_ca_pem))
    error_message = "The vault_ca_pem must be a PEM certificate."
  }
}

variable "namespace" {
  description = "The Vault Enterprise / HCP Vault namespace to create everything in (such as admin/acme). Null for open-source Vault or the root namespace."
  type        = string
  default     = null

  validation {
    condition     = var.namespace == null || can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", var.namespace))
    error_message = "The namespace must be a path such as admin or admin/acme, without leading or trailing slashes."
  }
}

variable "kv_mount_path" {
  description = "The KV version 2 mount that holds the session."
  type        = string
  default     = "switchboard"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$", var.kv_mount_path))
    error_message = "The kv_mount_path must be a mount path such as switchboard or secret, without slashes at either end."
  }
}

variable "create_kv_mount" {
  description = "Whether to create kv_mount_path as a new KV v2 mount. Set false to use an existing KV v2 mount (it must be version 2)."
  type        = bool
  default     = true
}

variable "allow_gateway_write" {
  description = "Whether the gateway may create and update the session (needed when the operator onboards you and rotates tokens from tenant-admin). When false, you write the session yourself and the gateway can only read it."
  type        = bool
  default     = true
}

################################################################################
# How the gateway logs in
################################################################################

variable "enable_pull_connector" {
  description = "Whether the gateway may keep a pull connector's credentials (a Google Workspace service-account key and its settings) beside the session, at switchboard/<slug>/connector. Only for tenants whose IdP does not push SCIM."
  type        = bool
  default     = false
}

variable "auth_method" {
  description = "How the gateway logs in: jwt (recommended: no shared secret; Vault verifies JWTs the gateway signs against its public JWKS) or approle (a role id and a secret id you hand over)."
  type        = string
  default     = "jwt"

  validation {
    condition     = contains(["jwt", "approle"], var.auth_method)
    error_message = "The auth_method must be jwt or approle."
  }
}

variable "auth_mount_path" {
  description = "The path of the auth backend (auth/<path>). Defaults to switchboard-jwt or switchboard-approle, a backend dedicated to Switchboard so your other logins are untouched."
  type        = string
  default     = null

  validation {
    condition     = var.auth_mount_path == null || can(regex("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$", var.auth_mount_path))
    error_message = "The auth_mount_path must be a path such as switchboard-jwt, without slashes at either end."
  }
}

variable "create_auth_backend" {
  description = "Whether to create the auth backend. Set false when several tenants share one Switchboard backend that already exists (the JWT backend must then already trust gateway_jwks_url)."
  type        = bool
  default     = true
}

variable "token_ttl_seconds" {
  description = "How long a Vault token the gateway obtains lives before it must renew or log in again."
  type        = number
  default     = 900

  validation {
    condition     = var.token_ttl_seconds >= 60 && var.token_ttl_seconds <= 86400
    error_message = "The token_ttl_seconds must be between 60 and 86400."
  }
}

variable "token_max_ttl_seconds" {
  description = "The longest a gateway token may live, renewals included."
  type        = number
  default     = 3600

  validation {
    condition     = var.token_max_ttl_seconds >= var.token_ttl_seconds && var.token_max_ttl_seconds <= 604800
    error_message = "The token_max_ttl_seconds must be at least token_ttl_seconds and at most 604800 (a week)."
  }
}
