#!/usr/bin/env bash
# Installs what the real-server and real-VS-Code suites need on Debian 12 as root:
# Postfix + Dovecot, aiosmtpd, Exim 4.96 (unpacked beside the system, never installed as the
# MTA), Chromium, the compilers node-gyp uses, and code-server 4.100.3 in .vscode-test/.
# Idempotent: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

# Exim is unpacked here, outside the checkout: the checkout may sit in a private folder
# (mode 0700) that Exim, running as an unprivileged user, could not enter.
EXIM_DIR="${SEND_AS_EMAIL_EXIM_DIR:-/opt/send-as-email/exim4}"

need_apt=()
[ -x /usr/sbin/postfix ] || need_apt+=(postfix)
[ -x /usr/sbin/dovecot ] || need_apt+=(dovecot-core dovecot-imapd)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need_apt+=(python3-aiosmtpd)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/rg ] || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
[ -x /usr/bin/openssl ] || need_apt+=(openssl)
# node-gyp (code-server's native modules) compiles with g++ and make and runs python3.
dpkg -s build-essential >/dev/null 2>&1 || need_apt+=(build-essential)
[ -x /usr/bin/python3 ] || need_apt+=(python3)
# Exim runs inside its own mount namespace (unshare) as an unprivileged user (setpriv).
[ -x /usr/bin/unshare ] && [ -x /usr/bin/setpriv ] || need_apt+=(util-linux)
# The CLI's keyring test: a private session bus, GNOME Keyring's Secret Service, secret-tool.
[ -x /usr/bin/dbus-daemon ] || need_apt+=(dbus)
[ -x /usr/bin/gnome-keyring-daemon ] || need_apt+=(gnome-keyring)
[ -x /usr/bin/secret-tool ] || need_apt+=(libsecret-tools)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "provision: apt-get install ${need_apt[*]}"
  apt-get update -qq
  echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The Node headers node-gyp builds against belong to the node that runs the build, wherever it
# lives (/usr, /usr/local, a version manager's folder): its prefix holds include/node.
node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [ ! -f "$node_prefix/include/node/node.h" ]; then
  echo "provision: the running node ($node_prefix) has no headers in $node_prefix/include/node" >&2
  exit 1
fi

# Exim 4.96 from Debian's packages, unpacked (dpkg -x) rather than installed, so it never
# replaces Postfix as the system MTA. The setuid bit is dropped: the tests run it as an
# unprivileged user and it must not regain root.
exim_stamp="$EXIM_DIR/.unpacked"
if [ ! -f "$exim_stamp" ] || [ ! -x "$EXIM_DIR/usr/sbin/exim4" ]; then
  echo "provision: unpacking Exim into $EXIM_DIR"
  download="$(mktemp -d)"
  trap 'rm -rf "$download"' EXIT
  chmod 755 "$download"
  # apt-get download runs as the _apt user when it can: let it write there.
  chown _apt "$download" 2>/dev/null || true
  (cd "$download" && apt-get download exim4-daemon-light exim4-base exim4-config libidn12 >/dev/null 2>&1) || {
    apt-get update -qq
    (cd "$download" && apt-get download exim4-daemon-light exim4-base exim4-config libidn12 >/dev/null)
  }
  rm -rf "$EXIM_DIR"
  mkdir -p "$EXIM_DIR"
  for deb in "$download"/*.deb; do dpkg -x "$deb" "$EXIM_DIR"; done
  chmod u-s,g-s "$EXIM_DIR/usr/sbin/exim4"
  chmod -R go+rX "$EXIM_DIR"
  # Each parent must be enterable by the unprivileged user that runs Exim.
  chmod 755 "$(dirname "$EXIM_DIR")"
  "$EXIM_DIR/usr/sbin/exim4" --version >/dev/null 2>&1 || true
  dpkg-deb -f "$download"/exim4-daemon-light_*.deb Version >"$exim_stamp"
fi

if [ -f scripts/install-code-server.sh ]; then
  bash scripts/install-code-server.sh
fi
