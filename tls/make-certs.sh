#!/bin/sh
# The private CA of filegraph's internal network, and one certificate for each
# service that talks on it: `tls/make-certs.sh <dir> <service>...`. Services
# prove who they are to each other with these (gateway -> HAProxy -> replicas,
# health -> instances, Consul's checks): a process that registered itself in
# Consul but holds none gets no request and no byte (docs/security.md).
#
#   <dir>/ca/ca.crt, ca.key          the CA (the key signs; keep it off the services)
#   <dir>/<service>/tls.crt, tls.key the service's certificate, named DNS:<service>
#   <dir>/<service>/ca.crt           the CA certificate, to check the others with
#   <dir>/<service>/tls.pem          certificate and key in one file (HAProxy's crt)
#
# The layout of a Kubernetes TLS secret, so cert-manager can take over. Safe to
# run again: the CA is kept, a certificate is remade only when it is missing,
# not signed by this CA, or expires within 30 days.
set -eu
umask 077
dir=${1:?usage: make-certs.sh <dir> <service>...}
shift
ca_days=3650
days=397
mkdir -p "$dir/ca"
if [ ! -s "$dir/ca/ca.crt" ] || [ ! -s "$dir/ca/ca.key" ]; then
  openssl req -x509 -new -noenc -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$dir/ca/ca.key" -out "$dir/ca/ca.crt" -days "$ca_days" \
    -subj '/O=filegraph/CN=filegraph internal CA' \
    -addext 'basicConstraints=critical,CA:TRUE,pathlen:0' \
    -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null
  echo "make-certs: new CA in $dir/ca"
fi
for service in "$@"; do
  case $service in
    *[!a-z0-9-]* | '') echo "make-certs: '$service' is not a service name (a-z, 0-9, -)" >&2; exit 2 ;;
  esac
  out="$dir/$service"
  mkdir -p "$out"
  if [ -s "$out/tls.crt" ] && [ -s "$out/tls.key" ] &&
    openssl verify -CAfile "$dir/ca/ca.crt" "$out/tls.crt" >/dev/null 2>&1 &&
    openssl x509 -in "$out/tls.crt" -noout -checkend $((30 * 86400)) >/dev/null; then
    continue
  fi
  openssl req -new -noenc -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$out/tls.key" -out "$out/tls.csr" -subj "/O=filegraph/CN=$service" 2>/dev/null
  openssl x509 -req -in "$out/tls.csr" -CA "$dir/ca/ca.crt" -CAkey "$dir/ca/ca.key" \
    -CAcreateserial -out "$out/tls.crt" -days "$days" \
    -extfile /dev/stdin 2>/dev/null <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:$service
EXT
  rm -f "$out/tls.csr"
  cp "$dir/ca/ca.crt" "$out/ca.crt"
  cat "$out/tls.crt" "$out/tls.key" > "$out/tls.pem"
  echo "make-certs: certificate for $service in $out"
done
# Containers run each service as its own user, which must read its folder;
# each container mounts only its own (compose: volume subpath). The CA's key
# stays in ca/, readable by its owner only and mounted by no service.
chmod 755 "$dir"
for service in "$@"; do chmod 755 "$dir/$service" && chmod 644 "$dir/$service"/*; done
