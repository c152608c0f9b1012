#!/usr/bin/env bash
# Installs what the browser tests of the web application (crates/web/tests/browser.rs) need,
# and prints the environment that tells the tests where it is:
#
#   eval "$(scripts/browser-test-deps.sh)"
#
# Debian's Chromium and its WebDriver (chromium-driver) when missing (as root), and the
# axe-core accessibility checker from the npm registry into a cache folder outside the
# repository (target/browser-test-deps unless DELIMIT_BROWSER_DEPS_DIR says otherwise).
# Everything but the exports goes to standard error.
set -euo pipefail
cd "$(dirname "$0")/.."

# The accessibility rules the tests hold the pages to come with this version: a newer
# axe-core may add rules, so it is changed on purpose, not by whatever is newest.
AXE_VERSION=4.14.1
DIR="${DELIMIT_BROWSER_DEPS_DIR:-$PWD/target/browser-test-deps}"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "browser-test-deps: missing ${missing[*]}; run as root to install them" >&2
        exit 1
    fi
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

axe="$DIR/node_modules/axe-core/axe.min.js"
installed=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$DIR/node_modules/axe-core/package.json" 2>/dev/null | head -1 || true)
if [ ! -f "$axe" ] || [ "$installed" != "$AXE_VERSION" ]; then
    mkdir -p "$DIR"
    npm install --prefix "$DIR" --no-save --no-audit --no-fund --silent "axe-core@$AXE_VERSION" >&2
fi
[ -f "$axe" ] || { echo "browser-test-deps: $axe was not installed" >&2; exit 1; }

echo "export DELIMIT_CHROMIUM=$(command -v chromium)"
echo "export DELIMIT_CHROMEDRIVER=$(command -v chromedriver)"
echo "export DELIMIT_AXE_JS=$axe"
