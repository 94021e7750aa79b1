#!/usr/bin/env bash
# Regenerates the TLS fixtures of the scripted-server protocol tests (test/fixtures/tls).
# Every leaf but the self-signed one is signed by one throw-away test CA, so a test can trust
# that CA (`tls.ca`) and exactly the one named defect (wrong host, expired) fails verification.
#
#   ca.pem / ca-key.pem                      test CA, 2020-01-01 .. 2045-01-01
#   localhost.pem / localhost-key.pem        CN=localhost, SAN DNS:localhost, IP:127.0.0.1, IP:::1
#   wrong-host.pem / wrong-host-key.pem      CN=mail.example.org, SAN DNS:mail.example.org
#   expired.pem / expired-key.pem            like localhost, valid 2020-01-01 .. 2020-01-02 only
#   self-signed.pem / self-signed-key.pem    localhost names, signed by its own key (trusted by nobody)
#
# The good certificates are valid for 20 years, 2024-01-01 .. 2044-01-01: fixed dates in the
# past rather than "now", so a machine whose clock is behind the one that made them still
# accepts them. `openssl x509 -req -days` cannot backdate on OpenSSL 3.0, so every certificate
# is issued with `openssl ca -startdate/-enddate` from a minimal CA config in a temporary folder.
# Keys are test-only and carry no secret value.
set -euo pipefail

out="$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/tls"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

good_start=20240101000000Z
good_end=20440101000000Z
localhost_san="subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"

mkdir -p "$work/newcerts"
: >"$work/index.txt"
openssl rand -hex 8 >"$work/serial"
cat >"$work/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir             = $work
database        = \$dir/index.txt
new_certs_dir   = \$dir/newcerts
serial          = \$dir/serial
certificate     = $out/ca.pem
private_key     = $out/ca-key.pem
default_md      = sha256
policy          = anything
copy_extensions = none
unique_subject  = no
[ anything ]
commonName = supplied
[ req ]
distinguished_name = dn
[ dn ]
[ ca_cert ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ localhost ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
$localhost_san
[ wrong_host ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:mail.example.org
CNF

# request NAME SUBJECT: a new key and certificate request.
request() {
  openssl req -new -newkey rsa:2048 -nodes -sha256 -config "$work/ca.cnf" -subj "$2" \
    -keyout "$out/$1-key.pem" -out "$work/$1.csr" 2>/dev/null
}

# issue NAME EXTENSIONS START END [extra openssl ca options]: sign NAME's request.
issue() {
  local name="$1" extensions="$2" start="$3" end="$4"
  shift 4
  openssl ca -batch -notext -config "$work/ca.cnf" -extensions "$extensions" \
    -startdate "$start" -enddate "$end" -in "$work/$name.csr" -out "$out/$name.pem" "$@" 2>/dev/null
}

# The CA signs itself first (-selfsign with its own key), then everything else.
request ca "/CN=Send as Email Test CA"
issue ca ca_cert 20200101000000Z 20450101000000Z -selfsign -keyfile "$out/ca-key.pem"

request localhost "/CN=localhost"
issue localhost localhost "$good_start" "$good_end"

request wrong-host "/CN=mail.example.org"
issue wrong-host wrong_host "$good_start" "$good_end"

request expired "/CN=localhost"
issue expired localhost 20200101000000Z 20200102000000Z

# Self-signed: signed with its own key, so its issuer is itself and no CA vouches for it.
request self-signed "/CN=localhost"
issue self-signed localhost "$good_start" "$good_end" -selfsign -keyfile "$out/self-signed-key.pem"

# --- check what we made -------------------------------------------------------------------
openssl verify -CAfile "$out/ca.pem" "$out/localhost.pem" "$out/wrong-host.pem" >/dev/null
expired_check="$(openssl verify -CAfile "$out/ca.pem" "$out/expired.pem" 2>&1 || true)"
[[ "$expired_check" == *"certificate has expired"* ]] || { echo "expired.pem does not fail as expired" >&2; exit 1; }
openssl verify -CAfile "$out/ca.pem" "$out/self-signed.pem" >/dev/null 2>&1 \
  && { echo "self-signed.pem unexpectedly verifies against the test CA" >&2; exit 1; }
echo "TLS fixtures written to $out"
