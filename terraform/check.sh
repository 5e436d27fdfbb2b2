#!/usr/bin/env bash
# Checks the Terraform under this directory as far as this machine allows, and says what it
# could not check:
#   1. terraform fmt -check -recursive, README tables fresh (always, when terraform exists)
#   2. per root module, example and module: init -backend=false -plugin-dir=<mirror>, validate
#   3. per module with tests/: terraform test (plan-only runs)
# Step 2 and 3 need every provider the directory uses in the local mirror; a directory whose
# provider is missing is SKIPPED with a message, never failed. No network, no AWS account.
#
# Usage: terraform/check.sh            (the Maven module `terraform` runs it in `test`)
# Env:   TF_PLUGIN_MIRROR=<dir holding registry.terraform.io/...> to choose the mirror.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf 'terraform-check: %s\n' "$*"; }

if ! command -v terraform >/dev/null 2>&1; then
  say "SKIPPED: terraform is not installed (install Terraform >= 1.11 to check terraform/)."
  exit 0
fi

# A CLI config path that points nowhere only adds warnings; Terraform's defaults are fine.
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -f "${TF_CLI_CONFIG_FILE}" ]]; then
  unset TF_CLI_CONFIG_FILE
fi
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
work="$here/target"
mkdir -p "$work"

started=$SECONDS
failures=0
skipped=()
passed=()

fail() { failures=$((failures + 1)); say "FAIL: $*"; }

# 1. Formatting: needs no provider.
if terraform fmt -check -recursive -diff "$here" >"$work/fmt.log" 2>&1; then
  passed+=("fmt")
else
  cat "$work/fmt.log"
  fail "terraform fmt -check -recursive (run: terraform fmt -recursive terraform/)"
fi

# README input/output tables follow variables.tf and outputs.tf.
if command -v python3 >/dev/null 2>&1; then
  readmes=("$here")
  for d in "$here"/modules/*/; do readmes+=("${d%/}"); done
  if python3 "$here/scripts/readme_tables.py" --check "${readmes[@]}"; then
    passed+=("README tables")
  else
    fail "README input/output tables (run: python3 terraform/scripts/readme_tables.py terraform terraform/modules/*)"
  fi
else
  skipped+=("README tables (python3 missing)")
fi

# Where is a provider mirror?
mirror="${TF_PLUGIN_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  for candidate in /opt/tf-plugins "$HOME/.terraform.d/plugins" /usr/share/terraform/plugins /usr/local/share/terraform/plugins; do
    if [[ -d "$candidate/registry.terraform.io" ]]; then
      mirror="$candidate"
      break
    fi
  done
fi
if [[ -z "$mirror" || ! -d "$mirror/registry.terraform.io" ]]; then
  say "SKIPPED validate and test: no provider mirror found (set TF_PLUGIN_MIRROR to a directory holding registry.terraform.io/<namespace>/<type>/...)."
  say "$([[ $failures -eq 0 ]] && echo PASSED || echo FAILED) fmt only, in $((SECONDS - started)) s"
  exit $((failures > 0))
fi

# The providers a directory needs: its own required_providers plus those of the local
# modules it calls, recursively.
providers_of() {
  local dir="$1"
  grep -hoE '^\s*source\s*=\s*"[a-z0-9-]+/[a-z0-9-]+"' "$dir"/*.tf 2>/dev/null | grep -oE '[a-z0-9-]+/[a-z0-9-]+'
  local sub
  for sub in $(grep -hoE '^\s*source\s*=\s*"\.{1,2}/[^"]+"' "$dir"/*.tf 2>/dev/null | grep -oE '\.{1,2}/[^"]+'); do
    providers_of "$(cd "$dir/$sub" && pwd)"
  done
}

missing_providers() {
  local p
  for p in $(providers_of "$1" | sort -u); do
    [[ -d "$mirror/registry.terraform.io/$p" ]] || printf '%s ' "$p"
  done
}

# The aws plan-only tests need a local Secrets Manager double (see scripts/fake_secretsmanager.py).
fake_pid=""
cleanup() { [[ -n "$fake_pid" ]] && kill "$fake_pid" 2>/dev/null; }
trap cleanup EXIT
start_fake_secretsmanager() {
  [[ -n "$fake_pid" ]] && return 0
  command -v python3 >/dev/null 2>&1 || return 1
  python3 "$here/scripts/fake_secretsmanager.py" >"$work/fake-sm.port" 2>"$work/fake-sm.log" &
  fake_pid=$!
  for _ in $(seq 1 50); do
    [[ -s "$work/fake-sm.port" ]] && break
    sleep 0.1
  done
  [[ -s "$work/fake-sm.port" ]] || return 1
  export AWS_ENDPOINT_URL_SECRETS_MANAGER="http://127.0.0.1:$(cat "$work/fake-sm.port")"
  # Never reach a real account from a test, whatever the environment holds.
  export AWS_ACCESS_KEY_ID=test-only AWS_SECRET_ACCESS_KEY=test-only AWS_EC2_METADATA_DISABLED=true
  unset AWS_PROFILE AWS_SESSION_TOKEN
}

dirs=("$here")
for d in "$here"/modules/*/ "$here"/examples/*/; do
  [[ -d "$d" ]] && dirs+=("${d%/}")
done

for dir in "${dirs[@]}"; do
  name="${dir#"$here"}"
  name="terraform${name}"
  missing="$(missing_providers "$dir")"
  if [[ -n "$missing" ]]; then
    skipped+=("$name (provider not in mirror: ${missing% })")
    say "SKIPPED validate/test of $name: provider ${missing% } is not in $mirror (no network here to fetch it)."
    continue
  fi
  export TF_DATA_DIR="$work/tfdata/${name//\//_}"
  log="$work/${name//\//_}.log"
  if ! (cd "$dir" && terraform init -backend=false -plugin-dir="$mirror" -no-color) >"$log" 2>&1; then
    cat "$log"
    fail "terraform init $name"
    continue
  fi
  if ! (cd "$dir" && terraform validate -no-color) >>"$log" 2>&1; then
    cat "$log"
    fail "terraform validate $name"
    continue
  fi
  passed+=("validate $name")
  if [[ -d "$dir/tests" ]]; then
    if [[ " $(providers_of "$dir" | sort -u | tr '\n' ' ')" == *" hashicorp/aws "* ]] && ! start_fake_secretsmanager; then
      skipped+=("test $name (python3 missing for the Secrets Manager double)")
      say "SKIPPED terraform test of $name: python3 is needed for the local Secrets Manager double."
      continue
    fi
    if (cd "$dir" && terraform test -no-color) >>"$log" 2>&1; then
      passed+=("test $name: $(grep -oE '[0-9]+ passed' "$log" | tail -1)")
    else
      sed -n '/terraform test/,$p' "$log" | tail -80
      grep -E 'run ".*"\.\.\. (fail|skip)|Error:' "$log" | head -40
      fail "terraform test $name"
    fi
  fi
done
unset TF_DATA_DIR

for p in "${passed[@]}"; do say "ok      $p"; done
for s in "${skipped[@]}"; do say "skipped $s"; done
if [[ $failures -gt 0 ]]; then
  say "FAILED: $failures check(s) failed in $((SECONDS - started)) s (logs in terraform/target/)."
  exit 1
fi
say "PASSED in $((SECONDS - started)) s (${#skipped[@]} skipped)."
