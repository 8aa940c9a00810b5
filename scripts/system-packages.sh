#!/usr/bin/env bash
# Debian packages Zhengtu needs, in two sets:
#   runtime (make run / make demo): CJK fonts and Pango for WeasyPrint's PDFs, poppler-utils to read
#           PDFs back (pdftotext, pdffonts: what an operator uses to check a document);
#   test    (make test): the runtime set plus PostgreSQL/PostGIS, Redis, Chromium for browser tests,
#           gettext for translation catalogues.
# Usage: scripts/system-packages.sh [runtime|test]   (default: test)
set -euo pipefail
runtime=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils)
test_only=(postgresql postgresql-15-postgis-3 redis-server chromium gettext)
case "${1:-test}" in
  runtime) packages=("${runtime[@]}") ;;
  test) packages=("${runtime[@]}" "${test_only[@]}") ;;
  *) echo "usage: $0 [runtime|test]" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages (install them with your package manager): ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
