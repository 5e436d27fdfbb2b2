################################################################################
# Certificate: one ACM certificate for the public and the admin host name
################################################################################

locals {
  create_certificate = var.certificate_arn == null
  certificate_names  = toset([var.domain_name, local.admin_domain_name])
  manage_dns         = var.route53_zone_id != null
}

resource "aws_acm_certificate" "this" {
  count = local.create_certificate ? 1 : 0

  domain_name               = var.domain_name
  subject_alternative_names = [local.admin_domain_name]
  validation_method         = "DNS"
  key_algorithm             = "EC_prime256v1"

  tags = merge(local.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  # Keyed by host name (known at plan time) rather than by the computed validation options.
  certificate_validation = local.create_certificate ? {
    for name in local.certificate_names : name => one([
      for o in aws_acm_certificate.this[0].domain_validation_options : o if o.domain_name == name
    ])
  } : {}
}

resource "aws_route53_record" "certificate_validation" {
  for_each = local.create_certificate && local.manage_dns ? local.certificate_names : toset([])

  zone_id         = var.route53_zone_id
  name            = local.certificate_validation[each.key].resource_record_name
  type            = local.certificate_validation[each.key].resource_record_type
  records         = [local.certificate_validation[each.key].resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count = local.create_certificate ? 1 : 0

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = local.manage_dns ? [for r in aws_route53_record.certificate_validation : r.fqdn] : null
}

locals {
  certificate_arn = local.create_certificate ? aws_acm_certificate_validation.this[0].certificate_arn : var.certificate_arn
}

################################################################################
# Public load balancer: HTTPS only (HTTP redirects), and only the SCIM and JWKS paths
# reach the gateway; everything else, including /health and /ready, answers 404.
################################################################################

resource "aws_lb" "public" {
  name               = "${var.name}-public"
  load_balancer_type = "application"
  internal           = false
  subnets            = local.public_subnet_ids
  security_groups    = [aws_security_group.public_alb.id]

  drop_invalid_header_fields = true
  desync_mitigation_mode     = "defensive"
  enable_deletion_protection = var.deletion_protection
  idle_timeout               = 60

  dynamic "access_logs" {
    for_each = var.alb_access_logs_bucket == null ? [] : [var.alb_access_logs_bucket]
    content {
      bucket  = access_logs.value
      prefix  = "${var.name}/public"
      enabled = true
    }
  }

  tags = merge(local.tags, { Name = "${var.name}-public" })
}

resource "aws_lb_listener" "public_http" {
  load_balancer_arn = aws_lb.public.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }

  tags = local.tags
}

resource "aws_lb_listener" "public_https" {
  load_balancer_arn = aws_lb.public.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = local.certificate_arn

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "application/json"
      status_code  = "404"
      message_body = jsonencode({ schemas = ["urn:ietf:params:scim:api:messages:2.0:Error"], status = "404", detail = "Not found" })
    }
  }

  tags = local.tags
}

resource "aws_lb_target_group" "gateway" {
  name        = "${var.name}-gw-tg"
  port        = local.scim_port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = local.vpc_id

  # Longer than the gateway's shutdown delay plus its drain (SWITCHBOARD_SHUTDOWN_DELAY 5 s +
  # SWITCHBOARD_DRAIN_TIMEOUT 20 s) so in-flight requests finish; the health check reads /ready,
  # which answers 503 from the moment a task gets SIGTERM.
  deregistration_delay = 30

  health_check {
    path                = "/ready"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = merge(local.tags, { Name = "${var.name}-gw-tg" })
}

resource "aws_lb_listener_rule" "scim" {
  listener_arn = aws_lb_listener.public_https.arn
  priority     = 10

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.gateway.arn
  }

  condition {
    path_pattern {
      values = ["/scim/v2", "/scim/v2/*"]
    }
  }

  tags = local.tags
}

resource "aws_lb_listener_rule" "jwks" {
  listener_arn = aws_lb_listener.public_https.arn
  priority     = 20

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.gateway.arn
  }

  condition {
    path_pattern {
      values = ["/.well-known/jwks.json"]
    }
  }

  condition {
    http_request_method {
      values = ["GET", "HEAD"]
    }
  }

  tags = local.tags
}

resource "aws_wafv2_web_acl_association" "public" {
  count = var.waf_web_acl_arn == null ? 0 : 1

  resource_arn = aws_lb.public.arn
  web_acl_arn  = var.waf_web_acl_arn
}

################################################################################
# Internal load balancer for tenant-admin: private subnets, HTTPS only, no public listener.
################################################################################

resource "aws_lb" "admin" {
  name               = "${var.name}-admin"
  load_balancer_type = "application"
  internal           = true
  subnets            = local.private_subnet_ids
  security_groups    = [aws_security_group.admin_alb.id]

  drop_invalid_header_fields = true
  desync_mitigation_mode     = "defensive"
  enable_deletion_protection = var.deletion_protection

  dynamic "access_logs" {
    for_each = var.alb_access_logs_bucket == null ? [] : [var.alb_access_logs_bucket]
    content {
      bucket  = access_logs.value
      prefix  = "${var.name}/admin"
      enabled = true
    }
  }

  tags = merge(local.tags, { Name = "${var.name}-admin" })
}

resource "aws_lb_target_group" "admin" {
  name                 = "${var.name}-admin-tg"
  port                 = local.admin_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = local.vpc_id
  deregistration_delay = 30

  health_check {
    path                = "/ready"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = merge(local.tags, { Name = "${var.name}-admin-tg" })
}

resource "aws_lb_listener" "admin_https" {
  load_balancer_arn = aws_lb.admin.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = local.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.admin.arn
  }

  tags = local.tags
}

################################################################################
# DNS names (when the zone is managed here)
################################################################################

resource "aws_route53_record" "public" {
  count = local.manage_dns ? 1 : 0

  zone_id = var.route53_zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = aws_lb.public.dns_name
    zone_id                = aws_lb.public.zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "admin" {
  count = local.manage_dns ? 1 : 0

  zone_id = var.route53_zone_id
  name    = local.admin_domain_name
  type    = "A"

  alias {
    name                   = aws_lb.admin.dns_name
    zone_id                = aws_lb.admin.zone_id
    evaluate_target_health = true
  }
}
