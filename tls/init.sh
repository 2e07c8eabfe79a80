#!/bin/sh
# compose's certs service: makes (or keeps, or renews) the internal CA and
# the certificates of the services named in CERT_SERVICES under /certs, then
# stays up, healthy, so that services start only once theirs exist. Services
# read their certificates at start: restart them after a renewal.
set -eu
make-certs.sh /certs $CERT_SERVICES
touch /tmp/certs-ready
trap 'exit 0' TERM INT
while :; do
  sleep 86400 &
  wait $!
done
