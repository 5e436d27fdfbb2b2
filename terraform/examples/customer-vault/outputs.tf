output "onboarding" {
  description = "Send this to your Switchboard operator (it holds no secret)."
  value       = module.switchboard_tenant.onboarding
}

output "session_api_path" {
  description = "Where the session lives, for your audit rules and for revocation."
  value       = module.switchboard_tenant.session_api_path
}
