variable "tenant_id" {
  description = "The tenant id your Switchboard operator gave you (a UUID)."
  type        = string
}

variable "tenant_slug" {
  description = "The tenant's short name your operator gave you, such as acme."
  type        = string
}

variable "vault_address" {
  description = "Your Vault's https:// address as the gateway reaches it."
  type        = string
}

variable "vault_ca_pem" {
  description = "The PEM CA of your Vault when a private CA signs it; null for a public CA."
  type        = string
  default     = null
}

variable "namespace" {
  description = "Your Vault Enterprise or HCP namespace, or null."
  type        = string
  default     = null
}

variable "gateway_jwks_url" {
  description = "The operator's JWKS URL (their jwks_url output)."
  type        = string
  default     = null
}

variable "gateway_jwt_issuer" {
  description = "The operator's JWT issuer (their jwt_issuer output)."
  type        = string
  default     = null
}

variable "gateway_egress_cidr_blocks" {
  description = "The operator's egress addresses as /32 blocks, to bind tokens to them; empty allows any source."
  type        = list(string)
  default     = []
}

variable "auth_method" {
  description = "jwt (recommended) or approle."
  type        = string
  default     = "jwt"
}

variable "allow_gateway_write" {
  description = "Whether the operator may write the session during onboarding and token rotation."
  type        = bool
  default     = true
}
