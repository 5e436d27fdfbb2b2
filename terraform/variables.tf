variable "name" {
  description = "Prefix for every resource name; one per environment, such as switchboard-prod."
  type        = string
  default     = "switchboard"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}[a-z0-9]$", var.name))
    error_message = "The name must be 3 to 22 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "domain_name" {
  description = "The public host name identity providers call, such as scim.example.com."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "The domain_name must be a lower-case host name without scheme or trailing dot."
  }
}

variable "route53_zone_id" {
  description = "The Route 53 public hosted zone of domain_name, for certificate validation and DNS records. Null means you create the records yourself."
  type        = string
  default     = null

  validation {
    condition     = var.route53_zone_id == null || can(regex("^Z[A-Z0-9]{4,31}$", var.route53_zone_id))
    error_message = "The route53_zone_id must look like Z0123456789ABCDEFGHIJ."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "An existing VPC; null creates a minimal highly available one."
  type        = string
  default     = null

  validation {
    condition     = var.vpc_id == null || can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "The vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets of the existing VPC in two or more zones, for the internet-facing load balancer (only with vpc_id)."
  type        = list(string)
  default     = []

  validation {
    condition     = var.vpc_id == null || length(var.public_subnet_ids) >= 2
    error_message = "With vpc_id, give at least two public_subnet_ids."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets with NAT of the existing VPC in two or more zones, for tasks and the database (only with vpc_id)."
  type        = list(string)
  default     = []

  validation {
    condition     = var.vpc_id == null || length(var.private_subnet_ids) >= 2
    error_message = "With vpc_id, give at least two private_subnet_ids."
  }
}

variable "admin_allowed_cidr_blocks" {
  description = "Networks that may reach tenant-admin (VPN, bastion); empty allows the VPC's own range only."
  type        = list(string)
  default     = []

  validation {
    condition     = !contains(var.admin_allowed_cidr_blocks, "0.0.0.0/0")
    error_message = "tenant-admin is private: 0.0.0.0/0 is refused."
  }
}

variable "container_image" {
  description = "The Switchboard image built from the repository's Dockerfile, pinned by tag or digest."
  type        = string
  default     = "ghcr.io/switchboard-scim/switchboard:0.1.0"

  validation {
    condition     = !endswith(var.container_image, ":latest")
    error_message = "Pin the image by version tag or digest, not :latest."
  }
}

variable "cpu_architecture" {
  description = "ARM64 (Graviton, cheaper) or X86_64 for the Fargate tasks."
  type        = string
  default     = "ARM64"

  validation {
    condition     = contains(["ARM64", "X86_64"], var.cpu_architecture)
    error_message = "The cpu_architecture must be ARM64 or X86_64."
  }
}

variable "gateway_cpu" {
  description = "CPU units per gateway task (1024 = one vCPU); see the sizing table."
  type        = number
  default     = 1024

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.gateway_cpu)
    error_message = "The gateway_cpu must be a Fargate CPU size."
  }
}

variable "gateway_memory" {
  description = "Memory in MiB per gateway task, 2 to 8 MiB per CPU unit."
  type        = number
  default     = 2048

  validation {
    condition     = var.gateway_memory % 512 == 0 && var.gateway_memory >= max(512, var.gateway_cpu * 2) && var.gateway_memory <= var.gateway_cpu * 8
    error_message = "The gateway_memory must be a multiple of 512 MiB, 2 to 8 MiB per CPU unit."
  }
}

variable "gateway_min_count" {
  description = "The fewest gateway tasks; at least two for high availability."
  type        = number
  default     = 2

  validation {
    condition     = var.gateway_min_count >= 2
    error_message = "The gateway_min_count must be at least 2."
  }
}

variable "gateway_max_count" {
  description = "The most gateway tasks autoscaling may start."
  type        = number
  default     = 10

  validation {
    condition     = var.gateway_max_count >= var.gateway_min_count
    error_message = "The gateway_max_count must be at least gateway_min_count."
  }
}

variable "db_instance_class" {
  description = "The RDS instance class; see the sizing table."
  type        = string
  default     = "db.m7g.large"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.db_instance_class))
    error_message = "The db_instance_class must look like db.m7g.large."
  }
}

variable "db_multi_az" {
  description = "Whether the database keeps a standby in a second zone (recommended in production)."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Whether the database and load balancers refuse deletion; keep true outside throw-away environments."
  type        = bool
  default     = true
}
