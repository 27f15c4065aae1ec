#!/usr/bin/env bash
# Installs what the local stack and the tests need on a fresh machine, and nothing that is already there.
# - Debian packages (via apt-get) for anything missing: Node.js/npm, openssl (the trust SAS token script and its test),
#   chromium (the dashboard's browser tests drive /usr/bin/chromium headless through Playwright; no browser download).
# - npm packages pinned by package-lock.json (Azurite, the official Event Hubs JS SDK), with `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.bootstrap-stamp ] || [ "$(cat node_modules/.bootstrap-stamp)" != "$lock_hash" ]; then
  echo "bootstrap: npm ci (pinned by package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.bootstrap-stamp
fi
