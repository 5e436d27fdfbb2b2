################################################################################
# Naming and tagging
################################################################################

variable "name" {
  description = "Prefix for every resource name (load balancers, services, database, secrets). Use one name per environment, such as switchboard-prod."
  type        = string
  default     = "switchboard"

  validation {
    # ALB and target-group names are limited to 32 characters; the longest suffix used is "-admin-tg".
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}[a-z0-9]$", var.name))
    error_message = "The name must be 3 to 22 characters of lower-case letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
}

variable "tags" {
  description = "Tags added to every resource that supports them, on top of the Name tag the module sets."
  type        = map(string)
  default     = {}
}

################################################################################
# DNS and TLS
################################################################################

variable "domain_name" {
  description = "The public host name identity providers call, such as scim.example.com. The SCIM base URL becomes https://<domain_name>/scim/v2."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "The domain_name must be a lower-case fully qualified host name without a scheme or trailing dot, such as scim.example.com."
  }
}

variable "admin_domain_name" {
  description = "The private host name of tenant-admin, served by the internal load balancer. Defaults to admin.<domain_name>; it resolves to private addresses only."
  type        = string
  default     = null

  validation {
    condition     = var.admin_domain_name == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.admin_domain_name))
    error_message = "The admin_domain_name must be a lower-case fully qualified host name without a scheme or trailing dot."
  }
}

variable "route53_zone_id" {
  description = "The Route 53 public hosted zone that holds domain_name. When set, the module validates the certificate through DNS and creates the alias records; when null, you create them yourself from the certificate_validation_records and load balancer outputs."
  type        = string
  default     = null

  validation {
    condition     = var.route53_zone_id == null || can(regex("^Z[A-Z0-9]{4,31}$", var.route53_zone_id))
    error_message = "The route53_zone_id must look like a Route 53 zone id, such as Z0123456789ABCDEFGHIJ."
  }
}

variable "certificate_arn" {
  description = "An existing ACM certificate (in the deployment region) covering domain_name and admin_domain_name. When null, the module requests one."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "The certificate_arn must be an ACM certificate ARN."
  }
}

variable "ssl_policy" {
  description = "The TLS policy of both load balancers' HTTPS listeners. Only TLS 1.2+ policies are accepted; the default also offers TLS 1.3."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition = contains([
      "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
      "ELBSecurityPolicy-TLS13-1-3-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
      "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
      "ELBSecurityPolicy-FS-1-2-Res-2020-10",
      "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    ], var.ssl_policy)
    error_message = "The ssl_policy must be one of the ELB policies that refuse TLS 1.0 and 1.1 (for example ELBSecurityPolicy-TLS13-1-2-2021-06)."
  }
}

################################################################################
# Network
################################################################################

variable "vpc_id" {
  description = "An existing VPC to deploy into. When null, the module creates a minimal VPC (public and private subnets in each availability zone, NAT gateways)."
  type        = string
  default     = null

  validation {
    condition     = var.vpc_id == null || can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "The vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "public_subnet_ids" {
  description = "Subnets of the existing VPC, in at least two availability zones, for the internet-facing load balancer. Required when vpc_id is set."
  type        = list(string)
  default     = []

  validation {
    condition     = var.vpc_id == null || length(var.public_subnet_ids) >= 2
    error_message = "With an existing vpc_id, give at least two public_subnet_ids in different availability zones."
  }
}

variable "private_subnet_ids" {
  description = "Subnets of the existing VPC, in at least two availability zones and with outbound internet access (NAT), for the tasks, the internal load balancer and the database. Required when vpc_id is set."
  type        = list(string)
  default     = []

  validation {
    condition     = var.vpc_id == null || length(var.private_subnet_ids) >= 2
    error_message = "With an existing vpc_id, give at least two private_subnet_ids in different availability zones."
  }
}

variable "vpc_cidr" {
  description = "The address range of the VPC the module creates (ignored with an existing vpc_id). A /16 to /20 range; the module carves one public and one private subnet per availability zone from it."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "The vpc_cidr must be an IPv4 CIDR block between /16 and /20 (each zone gets a public and a private subnet 1/16 of its size)."
  }
}

variable "availability_zones" {
  description = "Availability zones for the VPC the module creates. When empty, the first az_count zones of the region are used."
  type        = list(string)
  default     = []
}

variable "az_count" {
  description = "How many availability zones the created VPC spans when availability_zones is empty. Two is the minimum for high availability; three survives a zone outage with headroom."
  type        = number
  default     = 3

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "The az_count must be a whole number from 2 to 6."
  }
}

variable "single_nat_gateway" {
  description = "Whether the created VPC shares one NAT gateway across zones (cheaper, but a zone outage then cuts every task off from customer Vaults). Keep false in production."
  type        = bool
  default     = false
}

variable "admin_allowed_cidr_blocks" {
  description = "Networks allowed to reach tenant-admin on the internal load balancer (operator VPN, bastion, CI runners). When empty, the VPC's own range is allowed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.admin_allowed_cidr_blocks : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "Every admin_allowed_cidr_blocks entry must be an IPv4 CIDR block, and 0.0.0.0/0 is refused: tenant-admin is private."
  }
}

variable "admin_allowed_security_group_ids" {
  description = "Security groups (for example a bastion's or a CI runner's) allowed to reach tenant-admin on the internal load balancer."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for g in var.admin_allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", g))])
    error_message = "Every admin_allowed_security_group_ids entry must look like sg-0123456789abcdef0."
  }
}

variable "vault_egress_cidr_blocks" {
  description = "Where the tasks may open connections to customer Vaults (and to AWS APIs and the image registry over HTTPS). Narrow it when every customer Vault sits in known ranges."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.vault_egress_cidr_blocks) > 0 && alltrue([for c in var.vault_egress_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "The vault_egress_cidr_blocks must be a non-empty list of IPv4 CIDR blocks."
  }
}

variable "vault_egress_ports" {
  description = "TCP ports the tasks may reach on vault_egress_cidr_blocks: 443 (AWS APIs, image registry, Vaults behind HTTPS) and Vault's default 8200."
  type        = list(number)
  default     = [443, 8200]

  validation {
    condition     = contains(var.vault_egress_ports, 443) && alltrue([for p in var.vault_egress_ports : p >= 1 && p <= 65535 && floor(p) == p])
    error_message = "The vault_egress_ports must be TCP ports (1-65535) and include 443, which the tasks need for AWS APIs and the image registry."
  }
}

################################################################################
# Container image and tasks
################################################################################

variable "container_image" {
  description = "The Switchboard image (built from the repository's Dockerfile), pinned by tag or digest. Push it to your own ECR repository and pin a digest in production."
  type        = string
  default     = "ghcr.io/switchboard-scim/switchboard:0.1.0"

  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.container_image)) && !endswith(var.container_image, ":latest")
    error_message = "The container_image must be registry/repository:tag or registry/repository@sha256:<digest>; a mutable :latest tag is refused."
  }
}

variable "cpu_architecture" {
  description = "The CPU architecture of the Fargate tasks. ARM64 (Graviton) is about 20% cheaper for the same work; the image must be built for it (the Dockerfile builds both)."
  type        = string
  default     = "ARM64"

  validation {
    condition     = contains(["ARM64", "X86_64"], var.cpu_architecture)
    error_message = "The cpu_architecture must be ARM64 or X86_64."
  }
}

variable "gateway_cpu" {
  description = "CPU units per gateway task (1024 = one vCPU). See the sizing table in the README."
  type        = number
  default     = 1024

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.gateway_cpu)
    error_message = "The gateway_cpu must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "gateway_memory" {
  description = "Memory in MiB per gateway task. It must be a size Fargate allows for gateway_cpu (for example 2048 to 8192 with 1024 CPU units)."
  type        = number
  default     = 2048

  validation {
    condition     = var.gateway_memory >= 512 && var.gateway_memory <= 122880 && var.gateway_memory % 512 == 0
    error_message = "The gateway_memory must be a multiple of 512 MiB between 512 and 122880."
  }

  validation {
    condition = (
      var.gateway_memory >= max(512, var.gateway_cpu * 2) &&
      var.gateway_memory <= var.gateway_cpu * 8
    )
    error_message = "The gateway_memory must lie between 2 and 8 MiB per CPU unit of gateway_cpu (Fargate's task size rules)."
  }
}

variable "gateway_min_count" {
  description = "The fewest gateway tasks that run at any time. At least two, so the service survives losing a task or an availability zone."
  type        = number
  default     = 2

  validation {
    condition     = var.gateway_min_count >= 2 && floor(var.gateway_min_count) == var.gateway_min_count
    error_message = "The gateway_min_count must be a whole number of at least 2: one task is not highly available."
  }
}

variable "gateway_max_count" {
  description = "The most gateway tasks autoscaling may run. Keep max_count × database pool size per task below the database's connection limit."
  type        = number
  default     = 10

  validation {
    condition     = var.gateway_max_count >= var.gateway_min_count && var.gateway_max_count <= 200 && floor(var.gateway_max_count) == var.gateway_max_count
    error_message = "The gateway_max_count must be a whole number from gateway_min_count to 200."
  }
}

variable "gateway_cpu_target_percent" {
  description = "Average CPU utilisation autoscaling keeps the gateway service at."
  type        = number
  default     = 60

  validation {
    condition     = var.gateway_cpu_target_percent >= 20 && var.gateway_cpu_target_percent <= 90
    error_message = "The gateway_cpu_target_percent must be between 20 and 90."
  }
}

variable "gateway_requests_per_target" {
  description = "Requests per minute per gateway task (ALBRequestCountPerTarget) that autoscaling aims for. Lower it for heavier SCIM traffic (large PATCHes, list queries)."
  type        = number
  default     = 3000

  validation {
    condition     = var.gateway_requests_per_target >= 50 && var.gateway_requests_per_target <= 100000
    error_message = "The gateway_requests_per_target must be between 50 and 100000 requests per minute."
  }
}

variable "admin_cpu" {
  description = "CPU units per tenant-admin task (1024 = one vCPU)."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.admin_cpu)
    error_message = "The admin_cpu must be a Fargate CPU size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "admin_memory" {
  description = "Memory in MiB per tenant-admin task, allowed by Fargate for admin_cpu."
  type        = number
  default     = 1024

  validation {
    condition = (
      var.admin_memory % 512 == 0 &&
      var.admin_memory >= max(512, var.admin_cpu * 2) &&
      var.admin_memory <= var.admin_cpu * 8
    )
    error_message = "The admin_memory must be a multiple of 512 MiB between 2 and 8 MiB per CPU unit of admin_cpu."
  }
}

variable "admin_count" {
  description = "How many tenant-admin tasks run. One is enough for an operator API; two keep it available during a zone outage."
  type        = number
  default     = 1

  validation {
    condition     = var.admin_count >= 1 && var.admin_count <= 4 && floor(var.admin_count) == var.admin_count
    error_message = "The admin_count must be a whole number from 1 to 4."
  }
}

variable "db_pool_size_per_event_loop" {
  description = "Database connections per event loop in each task (SWITCHBOARD_DB_POOL_SIZE). A task opens this × vCPUs connections."
  type        = number
  default     = 4

  validation {
    condition     = var.db_pool_size_per_event_loop >= 1 && var.db_pool_size_per_event_loop <= 50 && floor(var.db_pool_size_per_event_loop) == var.db_pool_size_per_event_loop
    error_message = "The db_pool_size_per_event_loop must be a whole number from 1 to 50."
  }
}

variable "extra_environment" {
  description = "Further SWITCHBOARD_* settings for both services (for example SWITCHBOARD_SESSION_REFRESH = \"5m\"). Secrets do not belong here: they would show in the task definition."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.extra_environment) : can(regex("^SWITCHBOARD_[A-Z0-9_]+$", k))])
    error_message = "Every extra_environment key must be a SWITCHBOARD_* variable name."
  }

  validation {
    condition = length(setintersection(keys(var.extra_environment), [
      "SWITCHBOARD_MASTER_KEY", "SWITCHBOARD_JWT_SIGNING_KEY", "SWITCHBOARD_DATABASE_APP_PASSWORD",
      "SWITCHBOARD_DATABASE_PASSWORD", "SWITCHBOARD_ADMIN_BOOTSTRAP_TOKEN", "SWITCHBOARD_DATABASE_URL",
    ])) == 0
    error_message = "The extra_environment map must not set secrets or the database URL; the module injects those from Secrets Manager."
  }
}

variable "enable_execute_command" {
  description = "Whether operators may open a shell in running tasks with ECS Exec. Off by default: it grants interactive access next to decrypted tenant data."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "How long CloudWatch keeps the services' logs, in days."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

################################################################################
# Database
################################################################################

variable "db_instance_class" {
  description = "The RDS instance class. See the sizing table in the README; burstable db.t4g classes suit only small fleets."
  type        = string
  default     = "db.m7g.large"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.db_instance_class))
    error_message = "The db_instance_class must look like db.m7g.large."
  }
}

variable "db_engine_version" {
  description = "The PostgreSQL major (or major.minor) version. Minor upgrades are applied automatically in the maintenance window."
  type        = string
  default     = "17"

  validation {
    condition     = can(regex("^1[6-9](\\.[0-9]+)?$", var.db_engine_version))
    error_message = "The db_engine_version must be PostgreSQL 16 or later, such as 17 or 17.6."
  }
}

variable "db_allocated_storage_gb" {
  description = "The database's initial storage in GiB (gp3)."
  type        = number
  default     = 50

  validation {
    condition     = var.db_allocated_storage_gb >= 20 && var.db_allocated_storage_gb <= 65536
    error_message = "The db_allocated_storage_gb must be between 20 and 65536."
  }
}

variable "db_max_allocated_storage_gb" {
  description = "The ceiling up to which RDS grows storage automatically, in GiB."
  type        = number
  default     = 500

  validation {
    condition     = var.db_max_allocated_storage_gb >= var.db_allocated_storage_gb && var.db_max_allocated_storage_gb <= 65536
    error_message = "The db_max_allocated_storage_gb must be at least db_allocated_storage_gb and at most 65536."
  }
}

variable "db_multi_az" {
  description = "Whether the database keeps a synchronous standby in a second zone (automatic failover, roughly double the database cost). Recommended for production."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "How many days of automated backups (point-in-time recovery) RDS keeps."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "The db_backup_retention_days must be from 1 to 35; 0 would switch backups off."
  }
}

variable "db_backup_window" {
  description = "The daily UTC window for automated backups, hh24:mi-hh24:mi, not overlapping the maintenance window."
  type        = string
  default     = "02:00-03:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.db_backup_window))
    error_message = "The db_backup_window must look like 02:00-03:00."
  }
}

variable "db_maintenance_window" {
  description = "The weekly UTC maintenance window, ddd:hh24:mi-ddd:hh24:mi."
  type        = string
  default     = "sun:04:00-sun:05:00"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]$", var.db_maintenance_window))
    error_message = "The db_maintenance_window must look like sun:04:00-sun:05:00."
  }
}

variable "deletion_protection" {
  description = "Whether the database and both load balancers refuse deletion. Leave true outside throw-away environments; turning it off is a deliberate two-step change."
  type        = bool
  default     = true
}

variable "db_sslmode" {
  description = "The sslmode in the database URL. verify-full checks the RDS certificate against the RDS CA bundle the image carries; require encrypts without checking."
  type        = string
  default     = "verify-full"

  validation {
    condition     = contains(["require", "verify-ca", "verify-full"], var.db_sslmode)
    error_message = "The db_sslmode must be require, verify-ca or verify-full: the database refuses unencrypted connections."
  }
}

################################################################################
# Keys and secrets
################################################################################

variable "kms_key_arn" {
  description = "A customer-managed KMS key for the database, the secrets and the logs. When null, the module creates one (with rotation on)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN."
  }
}

variable "secret_versions" {
  description = "Generation numbers of the generated secrets. Raising one makes the next apply write a fresh random value (rotation). Never raise master_key without re-sealing what it encrypts: it would make stored Vault credentials unreadable."
  type = object({
    master_key            = optional(number, 1)
    jwt_signing_key       = optional(number, 1)
    database_app_password = optional(number, 1)
    admin_bootstrap_token = optional(number, 1)
  })
  default = {}

  validation {
    condition     = alltrue([for v in values(var.secret_versions) : v >= 1 && floor(v) == v])
    error_message = "Every secret_versions entry must be a whole number of at least 1."
  }
}

variable "secret_recovery_window_days" {
  description = "How many days a deleted secret stays recoverable. Zero deletes at once, which would lose the master key beyond recovery."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30
    error_message = "The secret_recovery_window_days must be from 7 to 30."
  }
}

variable "create_admin_bootstrap_token" {
  description = "Whether to generate a fleet-scope tenant-admin bootstrap token (SWITCHBOARD_ADMIN_BOOTSTRAP_TOKEN) in Secrets Manager. Use it once to create operator keys, then set this to false."
  type        = bool
  default     = true
}

variable "jwt_issuer" {
  description = "The iss claim of the JWTs the gateway signs for Vault logins. Defaults to https://<domain_name>; customer Vault roles are bound to it."
  type        = string
  default     = null

  validation {
    condition     = var.jwt_issuer == null || can(regex("^https://", var.jwt_issuer))
    error_message = "The jwt_issuer must be an https:// URL."
  }
}

################################################################################
# Optional protection and observability
################################################################################

variable "waf_web_acl_arn" {
  description = "A regional AWS WAF web ACL to attach to the public load balancer (rate limiting, IP reputation). Recommended; none by default."
  type        = string
  default     = null

  validation {
    condition     = var.waf_web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/.+$", var.waf_web_acl_arn))
    error_message = "The waf_web_acl_arn must be a regional WAFv2 web ACL ARN."
  }
}

variable "alb_access_logs_bucket" {
  description = "An S3 bucket (with the ELB log-delivery policy) for the load balancers' access logs. Access logs are off when null."
  type        = string
  default     = null
}

variable "alarm_topic_arn" {
  description = "An SNS topic that CloudWatch alarms notify (5xx errors, unhealthy or missing gateway tasks, database CPU, storage and connections). The alarms exist either way; without a topic they only show in the console."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:.+$", var.alarm_topic_arn))
    error_message = "The alarm_topic_arn must be an SNS topic ARN."
  }
}
