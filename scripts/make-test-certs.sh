#!/usr/bin/env bash
# Regenerates the TLS fixtures used by the scripted-server protocol tests (test/fixtures/tls).
# Everything is signed by one throw-away test CA, so a test can pass that CA as `tls.ca` and
# exactly one named defect (wrong host, expired) is what fails verification.
#
#   ca.pem / ca-key.pem                  test CA (20 years)
#   localhost.pem / localhost-key.pem    CN=localhost, SAN DNS:localhost, IP:127.0.0.1, IP:::1 (20 years)
#   wrong-host.pem / wrong-host-key.pem  CN=mail.example.org, SAN DNS:mail.example.org (20 years)
#   expired.pem / expired-key.pem        like localhost, valid 2020-01-01 .. 2020-01-02 only
#   self-signed.pem / self-signed-key.pem  localhost names, signed by itself (not by the CA)
#
# `openssl x509 -req -days` cannot backdate on OpenSSL 3.0, so the expired certificate is issued
# with `openssl ca -startdate/-enddate` from a minimal CA config in a temporary folder.
set -euo pipefail

out="$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/tls"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

days=7305 # 20 years
localhost_san="subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"

# --- test CA -----------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
  -subj "/CN=Send as Email Test CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$out/ca-key.pem" -out "$out/ca.pem" 2>/dev/null

# issue NAME SUBJECT SAN: a leaf key + certificate signed by the CA, valid $days days.
issue() {
  local name="$1" subject="$2" san="$3"
  openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "$subject" \
    -keyout "$out/$name-key.pem" -out "$work/$name.csr" 2>/dev/null
  printf '%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
    "$san" >"$work/$name.ext"
  openssl x509 -req -sha256 -days "$days" -in "$work/$name.csr" \
    -CA "$out/ca.pem" -CAkey "$out/ca-key.pem" -set_serial "0x$(openssl rand -hex 8)" \
    -extfile "$work/$name.ext" -out "$out/$name.pem" 2>/dev/null
}

issue localhost "/CN=localhost" "$localhost_san"
issue wrong-host "/CN=mail.example.org" "subjectAltName=DNS:mail.example.org"

# --- expired leaf (openssl ca can set explicit dates in the past) -------------------------
mkdir -p "$work/ca/newcerts"
: >"$work/ca/index.txt"
openssl rand -hex 8 >"$work/ca/serial"
cat >"$work/ca/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir           = $work/ca
database      = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial        = \$dir/serial
certificate   = $out/ca.pem
private_key   = $out/ca-key.pem
default_md    = sha256
policy        = anything
copy_extensions = none
unique_subject = no
x509_extensions = leaf
[ anything ]
commonName = supplied
[ leaf ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
$localhost_san
CNF
openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "/CN=localhost" \
  -keyout "$out/expired-key.pem" -out "$work/expired.csr" 2>/dev/null
openssl ca -batch -notext -config "$work/ca/ca.cnf" \
  -startdate 20200101000000Z -enddate 20200102000000Z \
  -in "$work/expired.csr" -out "$out/expired.pem" 2>/dev/null

# --- self-signed leaf (trusted by nobody unless allowSelfSigned) --------------------------
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" -subj "/CN=localhost" \
  -addext "$localhost_san" \
  -keyout "$out/self-signed-key.pem" -out "$out/self-signed.pem" 2>/dev/null

# --- verify what we made ------------------------------------------------------------------
openssl verify -CAfile "$out/ca.pem" "$out/localhost.pem" "$out/wrong-host.pem" >/dev/null
if openssl verify -CAfile "$out/ca.pem" "$out/expired.pem" >/dev/null 2>&1; then
  echo "expired.pem unexpectedly verifies" >&2
  exit 1
fi
openssl x509 -in "$out/expired.pem" -noout -checkend 0 >/dev/null && { echo "expired.pem is not expired" >&2; exit 1; }
echo "TLS fixtures written to $out"
