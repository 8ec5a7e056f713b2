#!/usr/bin/env bash
# Installs what the integration tests need to run inside a real VS Code on a
# machine that reaches only the npm registry and Debian's packages:
#   - Debian packages: chromium (the browser), ripgrep (a local rg),
#     libkrb5-dev (gssapi headers for code-server's kerberos module);
#   - code-server 4.99.4 (VS Code 1.99.3) from npm into .vscode-test/code-server/.
# Idempotent: a marker file written after a verified install makes later runs
# return at once. Runs as root with no stdin. See docs in
# /work/shared/docs/vscode-tests.md for the traps handled below.
set -euo pipefail

CODE_SERVER_VERSION=4.99.4
# @vscode/ripgrep version and rg tag that code-server 4.99.4 pulls in.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_TAG=v13.0.0-10

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
install_dir="$repo_root/.vscode-test/code-server"
marker="$install_dir/.installed-$CODE_SERVER_VERSION"
native_modules=(node-pty @vscode/spdlog native-watchdog @parcel/watcher kerberos)

log() { echo "[vscode-test/install] $*"; }

verify_native_modules() {
  local vscode_dir="$install_dir/node_modules/code-server/lib/vscode"
  [ -d "$vscode_dir" ] || return 1
  (cd "$vscode_dir" && node -e '
    const failed = [];
    for (const name of process.argv.slice(1)) {
      try { require(name); } catch (err) { failed.push(name + ": " + err.message.split("\n")[0]); }
    }
    if (failed.length > 0) { console.error(failed.join("\n")); process.exit(1); }
  ' "${native_modules[@]}")
}

# --- 1. Debian packages (only the missing ones) ----------------------------
missing=()
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

# --- 2. code-server (skip when already verified) ---------------------------
if [ -f "$marker" ] && verify_native_modules 2>/dev/null; then
  log "code-server $CODE_SERVER_VERSION already installed in $install_dir"
  exit 0
fi

started=$(date +%s)
work_tmp="$(mktemp -d)"
trap 'rm -rf "$work_tmp"' EXIT
mkdir -p "$install_dir"

# A package.json of its own, so this install never touches the project's
# dependencies or lockfile. allowScripts approves (for npm's install-script
# policy) the packages whose install scripts the install needs.
cat >"$install_dir/package.json" <<EOF
{
  "name": "backprop-notebook-code-server",
  "private": true,
  "description": "code-server for the integration tests, installed by scripts/vscode-test/install.sh",
  "allowScripts": {
    "code-server": true,
    "argon2": true,
    "@vscode/ripgrep": true,
    "kerberos": true,
    "node-pty": true,
    "@vscode/spdlog": true,
    "native-watchdog": true,
    "@parcel/watcher": true,
    "@vscode/windows-registry": true,
    "@vscode/deviceid": true,
    "@vscode/sqlite3": true
  }
}
EOF

# Trap: @vscode/ripgrep's postinstall downloads rg from GitHub unless its
# cache in the OS temp folder already holds the tarball; fill it with Debian's rg.
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) rg_target="$(uname -m)-unknown-linux-gnu" ;;
esac
export TMPDIR="$work_tmp/tmp"
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
# Trap: node-gyp should use the local headers and download none.
export npm_config_nodedir=/usr
export npm_config_ignore_scripts=false
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false
export CI=true

log "npm install code-server@$CODE_SERVER_VERSION into $install_dir"
# Trap: code-server's own postinstall refuses to run as root without
# --unsafe-perm (npm 11 calls the flag unknown but passes it on).
(cd "$install_dir" && npm install --unsafe-perm --no-save --no-package-lock \
  --loglevel=error "code-server@$CODE_SERVER_VERSION" </dev/null)

# npm may skip or lose install scripts of dependencies: if a native module is
# not loadable, rebuild code-server's VS Code dependencies once, then re-check.
if ! verify_native_modules; then
  log "native modules not loadable; rebuilding them"
  (cd "$install_dir/node_modules/code-server/lib/vscode" && \
    npm rebuild --unsafe-perm --loglevel=error </dev/null)
  verify_native_modules
fi

touch "$marker"
log "code-server $CODE_SERVER_VERSION installed and verified in $(( $(date +%s) - started )) s"
