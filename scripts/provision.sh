#!/usr/bin/env bash
# Installs what the real-server and real-VS-Code suites need on Debian 12 as root:
# Postfix + Dovecot, aiosmtpd, Chromium, and code-server 4.100.3 in .vscode-test/ (offline-safe).
# Idempotent: each step checks first. See ../shared/notes for why each piece is what it is.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/sbin/postfix ] || need_apt+=(postfix)
[ -x /usr/sbin/dovecot ] || need_apt+=(dovecot-core dovecot-imapd)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need_apt+=(python3-aiosmtpd)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/rg ] || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
[ -x /usr/bin/openssl ] || need_apt+=(openssl)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "provision: apt-get install ${need_apt[*]}"
  apt-get update -qq
  echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ -f scripts/install-code-server.sh ]; then
  bash scripts/install-code-server.sh
fi
