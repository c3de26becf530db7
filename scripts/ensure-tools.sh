#!/usr/bin/env bash
# Installs, from Debian's packages and only when missing, what make test needs besides
# Python 3.13: npm (it fetches the pinned Node.js, the CDK CLI and the portal's packages),
# curl and jq (the README's shell blocks run as a test) and chromium (the portal's browser
# tests; no browser download is possible, only the distribution's).
set -euo pipefail

# Usage: ensure-tools.sh [tool ...]   (default: all of them)
wanted=("${@:-npm curl jq chromium}")
read -r -a wanted <<<"${wanted[*]}"
missing=()
for tool in "${wanted[@]}"; do
  if [[ $tool == chromium ]]; then
    [[ -x "${CHROMIUM:-/usr/bin/chromium}" ]] || missing+=(chromium)
  else
    command -v "$tool" >/dev/null || missing+=("$tool")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "missing: ${missing[*]}; apt-get is not available here, so install them yourself" >&2
  exit 1
fi
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
echo "installing Debian's ${missing[*]} (a few minutes, once)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
