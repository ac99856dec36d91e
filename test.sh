#!/usr/bin/env bash
# Installs and starts what the tests need (PostgreSQL, Chromium, npm peers), idempotently, then runs every test.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
cache="$root/.cache"
mkdir -p "$cache"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /usr/lib/postgresql ] || need_apt+=(postgresql)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium fonts-dejavu-core)
# The IMAP server the e-mail channel polls; the tests configure and start their own instance.
[ -x /usr/sbin/dovecot ] && dpkg -s dovecot-imapd >/dev/null 2>&1 || need_apt+=(dovecot-imapd)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# PostgreSQL: a cluster on loopback with a role that may create the per-test databases.
pg_version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$pg_version main"; then
  as_root pg_createcluster "$pg_version" main >/dev/null
fi
pg_lsclusters -h | grep -q "^$pg_version main .* online" || as_root pg_ctlcluster "$pg_version" main start
for _ in $(seq 1 30); do as_root su postgres -c "pg_isready -q -h 127.0.0.1" && break; sleep 1; done
# Test classes run side by side, each engine with its own pool: PostgreSQL's default 100 connections is too few.
if [ "$(as_root su postgres -c "psql -qtAc 'SHOW max_connections'")" -lt 300 ]; then
  as_root su postgres -c "psql -qc 'ALTER SYSTEM SET max_connections = 300'" >/dev/null
  as_root pg_ctlcluster "$pg_version" main restart
  for _ in $(seq 1 30); do as_root su postgres -c "pg_isready -q -h 127.0.0.1" && break; sleep 1; done
fi
as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='bot'\"" | grep -q 1 \
  || as_root su postgres -c "psql -qc \"CREATE ROLE bot LOGIN CREATEDB PASSWORD 'bot'\""
# Dropping a test database WITH (FORCE) ends the connections a stopped engine left behind.
as_root su postgres -c "psql -qc 'GRANT pg_signal_backend TO bot'" >/dev/null
as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='botdb'\"" | grep -q 1 \
  || as_root su postgres -c "psql -qc 'CREATE DATABASE botdb OWNER bot'"
# Two engines share one database in some tests: keep their pools inside PostgreSQL's 100 connections.
export BOTENGINE_TEST_POSTGRES="Host=127.0.0.1;Username=bot;Password=bot;Database=botdb;Maximum Pool Size=25"

# npm peers, each installed on its own into the cache (a combined install can abort).
npm_peer() {
  local name=$1 version=$2 dir="$cache/npm/$1"
  if [ ! -f "$dir/node_modules/$name/package.json" ] || ! grep -q "\"version\": \"$version\"" "$dir/node_modules/$name/package.json"; then
    mkdir -p "$dir"
    (cd "$dir" && npm install --silent --no-audit --no-fund --prefix "$dir" "$name@$version" >/dev/null)
  fi
}
npm_peer botframework-webchat 4.18.1
export BOTENGINE_WEBCHAT_JS="$cache/npm/botframework-webchat/node_modules/botframework-webchat/dist/webchat.js"
npm_peer telegram-test-api 4.2.1
export BOTENGINE_TELEGRAM_TEST_API="$cache/npm/telegram-test-api/node_modules/telegram-test-api"
npm_peer maildev 2.2.1
export BOTENGINE_MAILDEV="$cache/npm/maildev/node_modules/maildev"
export BOTENGINE_CHROMIUM="$(command -v chromium)"

# The whole log goes to the file. The screen gets it without restores, built assemblies, passed tests and the engines'
# own log lines (a level tag and its indented lines), so that a log cut to a part still shows a failure and its message.
# A test that hangs is named and its run ended instead of using up CI's time.
# set -e stays off around it: a failed run must still reach the summary below (the script used to stop here).
set +e
dotnet test BotEngine.sln -c Release --logger "console;verbosity=normal" \
  --blame-hang-timeout 10min --blame-hang-dump-type none "$@" 2>&1 | tee "$cache/test-output.txt" \
  | awk '/^(trce|dbug|info|warn|fail|crit): / { in_log = 1; next }
         in_log && /^      / { next }
         { in_log = 0 }
         /^  Passed |^  Restored |^  [A-Za-z.]+ -> \// { next }
         { print; fflush() }'
status=${PIPESTATUS[0]}
set -e
# The failures again at the end, where a log cut to its tail still shows them.
grep -A 6 -E '^  Failed [A-Za-z]' "$cache/test-output.txt" | grep -v '^--$' | cut -c1-300 || true
# One closing line for the whole run, summed over the test projects.
awk '/^ +Passed: +[0-9]+$/ { p += $2 } /^ +Failed: +[0-9]+$/ { f += $2 } /^ +Skipped: +[0-9]+$/ { s += $2 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$cache/test-output.txt"
exit "$status"
