#!/usr/bin/env bash
# Installs the Debian packages the tests run against, and nothing else:
#   prometheus  /usr/bin/prometheus (end-to-end scrape tests) and /usr/bin/promtool
#               (exposition checks). The tests start their own throwaway server; the
#               package's system service is not needed.
# Idempotent: a second run finds everything installed and touches nothing.
set -euo pipefail

packages=(prometheus)
commands=(prometheus promtool)

missing_command=false
for command in "${commands[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing_command=true
done
if [[ "$missing_command" == false ]]; then
  echo "install-test-deps: ${commands[*]} already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: apt-get not found; install ${packages[*]} (for ${commands[*]}) with this system's package manager" >&2
  exit 1
fi

# Root runs apt-get itself; anyone else goes through sudo.
as_root=()
if [[ "$(id -u)" -ne 0 ]]; then
  as_root=(sudo)
fi

${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update
${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${packages[@]}"

for command in "${commands[@]}"; do
  if ! command -v "$command" >/dev/null 2>&1; then
    echo "install-test-deps: $command still not on PATH after installing ${packages[*]}" >&2
    exit 1
  fi
done
echo "install-test-deps: installed ${packages[*]}"
