#!/usr/bin/env bash
# Installs Debian's chromium for the portal's browser tests when it is missing (the tests
# drive it through Playwright; no browser download is possible, only the distribution's).
set -euo pipefail

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [[ -x "$CHROMIUM" ]]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "chromium is missing at $CHROMIUM and apt-get is not available: install chromium and set CHROMIUM" >&2
  exit 1
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi
echo "installing Debian's chromium (a few minutes, once)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
test -x "$CHROMIUM"
