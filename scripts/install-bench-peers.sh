#!/usr/bin/env bash
# Installs the peers `npm run bench` measures beside catalyst-metrics, from Debian packages:
#   netdata       /usr/sbin/netdata: its StatsD server, read back through
#                 /api/v1/allmetrics?format=prometheus.
#   collectd      /usr/sbin/collectd (collectd-core) with its statsd and write_prometheus
#                 plugins; write_prometheus needs libmicrohttpd12 and libprotobuf-c1, which
#                 collectd-core only recommends.
# The bench writes each peer's config into a temporary directory at run time, on free
# loopback ports (bench/peers/netdata.ts, bench/peers/collectd.ts), and starts and stops the
# peer itself. The packages' own services are stopped and disabled here: netdata's would
# hold UDP 8125, the port catalyst-metrics listens on by default.
# Idempotent: a second run finds everything installed and only re-checks the services.
# Never run by CI or the tests.
set -euo pipefail

packages=(netdata collectd-core libmicrohttpd12 libprotobuf-c1)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "install-bench-peers: ${packages[*]} already installed"
fi

# Only hosts booted with systemd run the packages' services.
if [[ -d /run/systemd/system ]]; then
  for service in netdata collectd; do
    sudo=()
    [[ $(id -u) -ne 0 ]] && sudo=(sudo)
    "${sudo[@]}" systemctl disable --now "$service" >/dev/null 2>&1 || true
  done
fi

for plugin in statsd write_prometheus; do
  if ldd "/usr/lib/collectd/$plugin.so" | grep -q 'not found'; then
    echo "install-bench-peers: collectd plugin $plugin misses a library:" >&2
    ldd "/usr/lib/collectd/$plugin.so" | grep 'not found' >&2
    exit 1
  fi
done
echo "install-bench-peers: netdata $(netdata -v 2>&1 | awk '{print $2}'), $(collectd -h | awk '/^collectd/{print $1, $2; exit}')"
