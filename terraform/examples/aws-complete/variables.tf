variable "region" {
  description = "The AWS region to deploy into, such as eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "The region must be an AWS region name such as eu-west-1."
  }
}

variable "environment" {
  description = "The environment name, used in resource names and tags (prod, staging)."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.environment))
    error_message = "The environment must be 2 to 10 lower-case letters and digits, starting with a letter."
  }
}

variable "domain_name" {
  description = "The public host name identity providers call, such as scim.example.com."
  type        = string
}

variable "route53_zone_id" {
  description = "The Route 53 public zone of domain_name; null means you create the DNS records yourself."
  type        = string
  default     = null
}

variable "tags" {
  description = "Extra tags for every resource (cost centre, owner)."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "An existing VPC, or null to create one."
  type        = string
  default     = null
}

variable "public_subnet_ids" {
  description = "Public subnets of the existing VPC (two or more zones); only with vpc_id."
  type        = list(string)
  default     = []
}

variable "private_subnet_ids" {
  description = "Private subnets with NAT of the existing VPC (two or more zones); only with vpc_id."
  type        = list(string)
  default     = []
}

variable "admin_allowed_cidr_blocks" {
  description = "Networks that may reach tenant-admin, such as your VPN range; empty allows only the VPC."
  type        = list(string)
  default     = []
}

variable "container_image" {
  description = "The Switchboard image in your registry, pinned by digest in production."
  type        = string
}

variable "cpu_architecture" {
  description = "ARM64 or X86_64; it must match the image you pushed."
  type        = string
  default     = "ARM64"
}

variable "gateway_cpu" {
  description = "CPU units per gateway task."
  type        = number
  default     = 1024
}

variable "gateway_memory" {
  description = "Memory in MiB per gateway task."
  type        = number
  default     = 2048
}

variable "gateway_min_count" {
  description = "The fewest gateway tasks (two or more)."
  type        = number
  default     = 2
}

variable "gateway_max_count" {
  description = "The most gateway tasks autoscaling may start."
  type        = number
  default     = 10
}

variable "db_instance_class" {
  description = "The RDS instance class."
  type        = string
  default     = "db.m7g.large"
}

variable "db_multi_az" {
  description = "Whether the database keeps a standby in a second zone."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Whether the database and load balancers refuse deletion."
  type        = bool
  default     = true
}

variable "waf_web_acl_arn" {
  description = "A regional WAF web ACL for the public load balancer, or null."
  type        = string
  default     = null
}

variable "alb_access_logs_bucket" {
  description = "An S3 bucket for load balancer access logs, or null."
  type        = string
  default     = null
}

variable "alarm_topic_arn" {
  description = "An SNS topic for the CloudWatch alarms (on-call), or null."
  type        = string
  default     = null
}
