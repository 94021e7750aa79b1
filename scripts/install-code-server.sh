#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) into .vscode-test/code-server/ for the
# real-VS-Code suite (test/host/run.ts). Idempotent: a no-op when that version is installed.
#
# Why this version and these settings (measured on Debian 12 with Node 20; CONTRIBUTING.md):
# - 4.100.3 is the last code-server whose postinstall accepts Node 20; `engines.vscode` ^1.100.0.
# - It lives in its own package.json under .vscode-test/ (git-ignored), not in the extension's
#   dependencies, so `vsce package` and the extension's lockfile never see it.
# - Offline except for the npm registry: @vscode/ripgrep's postinstall would download rg from
#   GitHub, so its cache is pre-filled with Debian's /usr/bin/rg (same ripgrep 13.0.0);
#   npm_config_nodedir (the prefix of the running node, which holds include/node) lets node-gyp
#   build argon2/kerberos/node-pty against the local headers instead of downloading them; npm_config_yes=true because node-pty's postinstall
#   runs `npx node-gyp`; npm_config_unsafe_perm=true because code-server's postinstall.sh, run
#   as root under npm, exits with "Please pass --unsafe-perm" unless it sees that variable (npm 11
#   itself no longer knows the option and warns "Unknown env config"; the warning is harmless).
# - npm 11.19's `allowScripts` policy is advisory (unreviewed install scripts still run, with a
#   notice); a later npm will block them. The scripts code-server needs are therefore approved
#   explicitly in the install folder's package.json, and the script checks afterwards that
#   code-server's postinstall really ran (it installs lib/vscode's own node_modules).
set -euo pipefail

VERSION=4.100.3
RIPGREP_CACHE=vscode-ripgrep-cache-1.15.11
RIPGREP_TARBALL=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.vscode-test/code-server"
bin="$dir/node_modules/.bin/code-server"
stamp="$dir/.installed-$VERSION"

# What code-server's postinstall leaves behind; without these the server starts but the
# extension host, terminal or search fail later in confusing ways.
postinstall_ok() {
  local vs="$dir/node_modules/code-server/lib/vscode"
  [ -d "$vs/node_modules" ] &&
    [ -x "$vs/node_modules/@vscode/ripgrep/bin/rg" ] &&
    [ -n "$(find "$vs/node_modules/node-pty/build" -name pty.node -print -quit 2>/dev/null)" ] &&
    [ -n "$(find "$dir/node_modules/argon2" -name '*.node' -print -quit 2>/dev/null)" ]
}

installed_version() {
  # `code-server --version` prints "4.100.3 <commit> with Code 1.100.3". Any run of code-server
  # writes a default config.yaml under $XDG_CONFIG_HOME, so point XDG_* at a throwaway folder
  # to keep the home directory clean.
  local xdg
  xdg="$(mktemp -d)"
  XDG_CONFIG_HOME="$xdg/config" XDG_DATA_HOME="$xdg/data" XDG_CACHE_HOME="$xdg/cache" \
    "$bin" --version 2>/dev/null | awk '/^[0-9]+\.[0-9]+\.[0-9]+ / {print $1; exit}'
  rm -rf "$xdg"
}

if [ -f "$stamp" ] && [ -x "$bin" ] && [ "$(installed_version)" = "$VERSION" ] && postinstall_ok; then
  echo "install-code-server: code-server $VERSION already installed in $dir"
  exit 0
fi

for tool in rg tar; do
  command -v "$tool" >/dev/null || { echo "install-code-server: missing $tool (apt-get install ripgrep)" >&2; exit 1; }
done

echo "install-code-server: installing code-server $VERSION into $dir"
rm -f "$stamp"
mkdir -p "$dir"
tmp="$root/.vscode-test/install-tmp"
rm -rf "$tmp"
mkdir -p "$tmp/$RIPGREP_CACHE"
trap 'rm -rf "$tmp"' EXIT

# @vscode/ripgrep looks for its download in $TMPDIR/<cache>/<asset> before fetching it.
rg_stage="$(mktemp -d "$tmp/rg.XXXXXX")"
cp "$(command -v rg)" "$rg_stage/rg"
tar -czf "$tmp/$RIPGREP_CACHE/$RIPGREP_TARBALL" -C "$rg_stage" rg
rm -rf "$rg_stage"

cat >"$dir/package.json" <<JSON
{
  "name": "send-as-email-code-server",
  "private": true,
  "description": "code-server for the real-VS-Code suite; installed by scripts/install-code-server.sh",
  "dependencies": { "code-server": "$VERSION" },
  "allowScripts": {
    "code-server": true,
    "argon2": true,
    "kerberos": true,
    "node-pty": true,
    "@vscode/ripgrep": true,
    "@parcel/watcher": true,
    "@vscode/spdlog": true,
    "@vscode/sqlite3": true,
    "@vscode/windows-registry": true,
    "native-watchdog": true,
    "esbuild": true
  }
}
JSON

export TMPDIR="$tmp"
# The prefix of the node that runs the build: /usr for Debian's package, /usr/local or
# ~/.nvm/versions/node/vX for others. Its include/node must match the ABI we build for.
node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [ ! -f "$node_prefix/include/node/node.h" ]; then
  echo "install-code-server: no Node headers at $node_prefix/include/node (install the headers of this node)" >&2
  exit 1
fi
export npm_config_nodedir="$node_prefix"
export npm_config_yes=true
export npm_config_unsafe_perm=true
export npm_config_ignore_scripts=false
export npm_config_fund=false
export npm_config_audit=false
export npm_config_update_notifier=false

cd "$dir"
# --foreground-scripts: the postinstall output (node-gyp builds, lib/vscode install) is shown,
# and a failing script fails this install loudly instead of hiding in npm's log.
npm install --no-package-lock --foreground-scripts --loglevel=warn

if ! postinstall_ok; then
  # code-server's postinstall runs a second `npm install` inside lib/vscode, a project of its
  # own that our allowScripts does not cover; if a newer npm blocked those scripts, re-run the
  # postinstall with the policy bypassed for this one pinned, known package tree.
  echo "install-code-server: code-server's postinstall did not complete; running npm rebuild" >&2
  npm_config_dangerously_allow_all_scripts=true npm rebuild --foreground-scripts code-server
fi
if ! postinstall_ok; then
  echo "install-code-server: code-server's postinstall output is missing (lib/vscode/node_modules, rg, pty.node, argon2)" >&2
  exit 1
fi

got="$(installed_version)"
if [ "$got" != "$VERSION" ]; then
  echo "install-code-server: expected code-server $VERSION, '$bin --version' says '$got'" >&2
  exit 1
fi
touch "$stamp"
echo "install-code-server: code-server $got ready at $bin"
