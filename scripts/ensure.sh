#!/usr/bin/env bash
# scripts/ensure.sh [redis] [redis-server] [cc] [chromium]: makes sure what Muster's commands need is here.
#   redis  a Redis answering on 127.0.0.1:6379 (skipped when MUSTER_REDIS_URL points
#          elsewhere): starts redis-server, installing it first on Debian if missing.
#   redis-server  the redis-server program, installed on Debian if missing but not
#          started: each test process starts a private one (internal/redistest).
#   cc     a C compiler, which `go test -race` needs: installs gcc on Debian if missing.
#   chromium  Debian's Chromium at /usr/bin/chromium, which the browser tests of
#          internal/web drive headless: installs the chromium package if missing.
set -euo pipefail

apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure: $* missing and no apt-get to install it; install it and retry" >&2
    exit 1
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "ensure: installing $* with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

ping_redis() {
  if command -v redis-cli >/dev/null 2>&1; then
    redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG
    return
  fi
  # No client: speak RESP over bash's /dev/tcp.
  exec 3<>/dev/tcp/127.0.0.1/6379 || return 1
  printf 'PING\r\n' >&3
  local reply=""
  read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ "$reply" == +PONG* ]]
}

ensure_redis() {
  case "${MUSTER_REDIS_URL:-redis://127.0.0.1:6379/0}" in
    redis://127.0.0.1:6379*|redis://localhost:6379*) ;;
    *) return 0 ;;
  esac
  ping_redis 2>/dev/null && return 0
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  # Debian's package may have started its own service: give it a moment.
  for _ in $(seq 1 20); do ping_redis 2>/dev/null && return 0; sleep 0.1; done
  local dir="${TMPDIR:-/tmp}/muster-redis"
  mkdir -p "$dir"
  echo "ensure: starting redis-server on 127.0.0.1:6379 (nothing persisted; log in $dir)" >&2
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir "$dir" --logfile "$dir/redis.log"
  for _ in $(seq 1 100); do ping_redis 2>/dev/null && return 0; sleep 0.1; done
  echo "ensure: redis-server did not answer; see $dir/redis.log" >&2
  exit 1
}

ensure_redis_server() {
  [ -n "${MUSTER_TEST_REDIS_ADDR:-}" ] && return 0
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
}

ensure_cc() {
  command -v gcc >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 || apt_install gcc libc6-dev
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

for what in "$@"; do
  case "$what" in
    redis) ensure_redis ;;
    redis-server) ensure_redis_server ;;
    cc) ensure_cc ;;
    chromium) ensure_chromium ;;
    *) echo "ensure: unknown requirement $what" >&2; exit 2 ;;
  esac
done
