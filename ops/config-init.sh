#!/bin/sh
# compose's ops-config (ops profile): writes what Prometheus and Alertmanager
# read into the ops-config volume with ops/prepare.ts (the templates filled
# in, the rules, the `prometheus` certificate, the Consul and MinIO tokens),
# then stays, healthy, so that they start only once it is there. Restart it
# (`docker compose --profile ops restart ops-config prometheus alertmanager`)
# after changing ops/ or the variables it reads.
set -eu
ready=/tmp/ops-config-ready

trap 'exit 0' TERM INT
node /ops/prepare.ts /ops-config
touch "$ready"
while :; do
  sleep 3600 &
  wait $!
done
