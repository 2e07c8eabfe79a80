#!/bin/sh
# consul-acl: creates the ACL tokens of the compose stack in Consul (ACLs on,
# default deny: consul/agent.hcl), each with the SecretID compose.yaml gives it,
# so every service holds its token before Consul does. Runs in the pinned
# consul image, with its CLI and the management token (CONSUL_HTTP_TOKEN).
# Idempotent: it checks them again every minute, so a Consul whose data was
# lost gets them back; healthy once they all exist.
#
#   token                 rights                                      used by
#   CONSUL_AGENT_TOKEN    node identity consul:dc1                    the agent itself
#   CONSUL_DNS_TOKEN      policy dns-read: read services and nodes    DNS answers (HAProxy)
#   CONSUL_HAPROXY_TOKEN  service identity haproxy                    haproxy-service.hcl
#   CONSUL_FILES_TOKEN    service identity files                      files replicas
#   CONSUL_HEALTH_TOKEN   service identity health                     health
#   CONSUL_GATEWAY_TOKEN  service identity gateway                    gateway
#   CONSUL_ACCOUNTS_TOKEN service identity accounts                   accounts replicas
#   CONSUL_PROMETHEUS_TOKEN policy dns-read: read services and nodes  Prometheus (ops profile)
#
# A service identity allows write on that one service name and read on every
# service and node: a service registers itself and nothing else.
# https://developer.hashicorp.com/consul/docs/secure/acl/token/service
set -eu

ready=/tmp/consul-acl-ready

dns_rules='
node_prefix "" {
  policy = "read"
}
service_prefix "" {
  policy = "read"
}
query_prefix "" {
  policy = "read"
}
'

policy() { # name rules
  consul acl policy read -name "$1" >/dev/null 2>&1 ||
    consul acl policy create -name "$1" -description "$1" -rules "$2" >/dev/null
}

token() { # secret description options…
  secret=$1
  description=$2
  shift 2
  # Reading itself needs no right but being a token Consul knows.
  consul acl token read -self -token "$secret" >/dev/null 2>&1 ||
    consul acl token create -secret "$secret" -description "$description" "$@" >/dev/null
}

ensure() {
  policy dns-read "$dns_rules" &&
    token "$CONSUL_AGENT_TOKEN" 'Consul agent' -node-identity consul:dc1 &&
    token "$CONSUL_DNS_TOKEN" 'DNS answers (HAProxy finds replicas)' -policy-name dns-read &&
    token "$CONSUL_HAPROXY_TOKEN" 'registers haproxy' -service-identity haproxy &&
    token "$CONSUL_FILES_TOKEN" 'files replicas' -service-identity files &&
    token "$CONSUL_HEALTH_TOKEN" 'health' -service-identity health &&
    token "$CONSUL_GATEWAY_TOKEN" 'gateway' -service-identity gateway &&
    token "$CONSUL_ACCOUNTS_TOKEN" 'accounts replicas' -service-identity accounts &&
    token "$CONSUL_PROMETHEUS_TOKEN" 'Prometheus (finds the instances)' -policy-name dns-read
}

trap 'exit 0' TERM INT
until ensure; do
  echo 'consul-acl: Consul not ready for ACL changes yet; trying again in 2 s'
  sleep 2 &
  wait $!
done
echo 'consul-acl: every token exists'
touch "$ready"
while :; do
  sleep 60 &
  wait $!
  if ensure; then touch "$ready"; else rm -f "$ready"; fi
done
