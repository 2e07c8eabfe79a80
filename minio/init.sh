#!/bin/sh
# compose's minio-init: makes the files service's MinIO user (files-user.sh)
# once MinIO answers, then checks it again every minute (a MinIO that lost
# its data gets it back). Healthy while the marker file exists.
set -u
here=$(dirname "$0")
ready=/tmp/minio-init-ready
export MC_CONFIG_DIR=/tmp/mc

trap 'exit 0' TERM INT
until "$here/files-user.sh"; do
  echo 'minio-init: MinIO not ready yet; trying again in 2 s'
  sleep 2 &
  wait $!
done
touch "$ready"
while :; do
  sleep 60 &
  wait $!
  if "$here/files-user.sh" >/dev/null; then touch "$ready"; else rm -f "$ready"; fi
done
