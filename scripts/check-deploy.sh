#!/usr/bin/env bash
# Lints the deploy files: scripts/check-deploy.sh [DEPLOY_DIR] (default scripts/deploy).
#   prometheus.yml              promtool check config (Debian package prometheus)
#   otel-collector.yaml         its receiver's scrape_configs, through promtool as well
#   config.example.yaml         catalyst-metrics --check-config (needs npm run build)
#   catalyst-metrics.service    systemd-analyze verify, where systemd-analyze exists
#   Dockerfile                  structure: pinned base images, non-root USER, HEALTHCHECK
# Prints one "ok:" or "FAIL:" line per check ("skip:" when a tool is missing) and exits 1
# when any check failed.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deploy="${1:-$root/scripts/deploy}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0

ok() { echo "ok: $1"; }
fail() {
  echo "FAIL: $1"
  failed=1
}

# Prints a tool's output only when it fails, so a clean run is one line per check.
run_check() {
  local name="$1"
  shift
  if output="$("$@" 2>&1)"; then ok "$name"; else fail "$name"; echo "$output" | sed 's/^/  /'; fi
}

if ! command -v promtool >/dev/null 2>&1; then
  fail "promtool not on PATH; run scripts/install-test-deps.sh"
else
  run_check "prometheus.yml passes promtool check config" \
    promtool check config "$deploy/prometheus.yml"
  # The collector's receiver takes a Prometheus config under receivers.prometheus.config.
  (cd "$root" && node --input-type=module -e "
    import { readFileSync, writeFileSync } from 'node:fs';
    import { parse, stringify } from 'yaml';
    const collector = parse(readFileSync(process.argv[1], 'utf8'));
    writeFileSync(process.argv[2], stringify(collector.receivers.prometheus.config));
  " "$deploy/otel-collector.yaml" "$work/otel-prometheus.yml")
  run_check "otel-collector.yaml scrape_configs pass promtool check config" \
    promtool check config "$work/otel-prometheus.yml"
fi

if [[ -f "$root/dist/src/cli.js" ]]; then
  run_check "config.example.yaml passes catalyst-metrics --check-config" \
    node "$root/dist/src/cli.js" --config "$deploy/config.example.yaml" --check-config
else
  fail "dist/src/cli.js missing; run npm run build"
fi

if command -v systemd-analyze >/dev/null 2>&1; then
  # verify insists that ExecStart's binary exists; point it at a stand-in on this machine.
  printf '#!/bin/sh\n' >"$work/catalyst-metrics" && chmod +x "$work/catalyst-metrics"
  sed "s#/usr/bin/catalyst-metrics#$work/catalyst-metrics#g" \
    "$deploy/catalyst-metrics.service" >"$work/catalyst-metrics.service"
  run_check "catalyst-metrics.service passes systemd-analyze verify" \
    systemd-analyze verify "$work/catalyst-metrics.service"
else
  echo "skip: systemd-analyze not found; catalyst-metrics.service not verified"
fi

# Instructions one per line: continuation lines joined onto the line they continue.
dockerfile="$work/Dockerfile"
sed -e ':join' -e '/\\$/N' -e 's/\\\n//' -e 'tjoin' "$deploy/Dockerfile" >"$dockerfile"
if grep -Eiq '^FROM[[:space:]]+[^[:space:]]+:latest([[:space:]]|$)' "$dockerfile" ||
  grep -Eiq '^FROM[[:space:]]+[^[:space:]:@]+([[:space:]]|$)' "$dockerfile"; then
  fail "Dockerfile: every FROM names a tag other than latest"
else
  ok "Dockerfile: every FROM names a tag other than latest"
fi
last_user="$(grep -Ei '^USER[[:space:]]' "$dockerfile" | tail -n 1 | awk '{print $2}')"
if [[ -z "$last_user" || "$last_user" == "root" || "$last_user" == "0" || "$last_user" == 0:* ]]; then
  fail "Dockerfile: the final USER is not root (found '${last_user:-none}')"
else
  ok "Dockerfile: the final USER is not root"
fi
if grep -Eq '^HEALTHCHECK[[:space:]]+(--[^[:space:]]+[[:space:]]+)*CMD' "$dockerfile"; then
  ok "Dockerfile: HEALTHCHECK runs a command"
else
  fail "Dockerfile: HEALTHCHECK runs a command"
fi

exit "$failed"
