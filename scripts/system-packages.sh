#!/usr/bin/env bash
# Debian packages the test suite needs: PostgreSQL, Chromium for browser tests, CJK fonts for
# PDFs, poppler-utils (pdftotext) to read PDFs back, gettext for translation catalogues.
set -euo pipefail
packages=(postgresql postgresql-15-postgis-3 redis-server chromium fonts-noto-cjk poppler-utils gettext)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
