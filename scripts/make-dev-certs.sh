#!/usr/bin/env bash
# Makes a throwaway certificate authority and certificates for trying TLS with mutual authentication on a TaskFlow cluster.
# NOT for production: the keys are unencrypted files and the CA is made on the spot.
#
#   scripts/make-dev-certs.sh [DIR] [HOST...]
#
# DIR (default .certs) receives:
#   ca.pem                         the cluster's CA (Silo__Tls__CaCertificate, --tls-ca); ca.key stays with whoever issues
#   silo.pem, silo.key             one certificate for every silo (server and client use: silos connect to each other);
#                                  its names: localhost, 127.0.0.1 to 127.0.0.4 and each HOST given
#   client.pem, client.key         a client's certificate (--tls-cert, --tls-key)
#   rogue-ca.pem, rogue-client.*   a certificate from another CA, to see a cluster refuse it
set -euo pipefail
dir=${1:-.certs}
shift || true
mkdir -p "$dir"
cd "$dir"
days=30
san="DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3,IP:127.0.0.4"
for host in "$@"; do
  if [[ $host =~ ^[0-9.]+$ ]]; then san="$san,IP:$host"; else san="$san,DNS:$host"; fi
done

make_ca() { # name subject
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
    -keyout "$1.key" -out "$1.pem" -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

issue() { # name subject ca extendedKeyUsage [subjectAltName]
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$4"
    if [[ -n ${5:-} ]]; then echo "subjectAltName=$5"; fi
  } >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -days "$days" -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

make_ca ca "TaskFlow dev CA"
issue silo "taskflow-silo" ca "serverAuth,clientAuth" "$san"
issue client "taskflow-client" ca "clientAuth"
make_ca rogue-ca "Some other CA"
issue rogue-client "taskflow-client" rogue-ca "clientAuth"
rm -f ./*.srl
chmod 600 ./*.key
echo "Certificates in $(pwd):"
ls -1 ./*.pem
