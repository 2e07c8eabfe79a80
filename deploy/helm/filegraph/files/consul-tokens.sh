#!/bin/sh
# The chart's consul-acl Job: creates each service's ACL token in Consul,
# with the SecretID the chart's tokens Secret gives it, so that every service
# holds its token before Consul does; like consul/acl.sh in compose, the
# services' part only (HashiCorp's chart makes the agent's and the DNS
# tokens: global.acls.manageSystemACLs). Runs in the pinned consul image
# with its CLI and the management token (CONSUL_HTTP_TOKEN); safe to run again.
#
#   token                 rights                      used by
#   CONSUL_HAPROXY_TOKEN  service identity haproxy    HAProxy's registration
#   CONSUL_FILES_TOKEN    service identity files      files replicas
#   CONSUL_HEALTH_TOKEN   service identity health     health
#   CONSUL_GATEWAY_TOKEN  service identity gateway    gateway
#   CONSUL_ACCOUNTS_TOKEN service identity accounts   accounts replicas
#
# A service identity allows write on that one service name and read on every
# service and node: a service registers itself and nothing else.
# https://developer.hashicorp.com/consul/docs/secure/acl/token/service
set -eu

token() { # secret description service
  # Reading itself needs no right but being a token Consul knows.
  consul acl token read -self -token "$1" >/dev/null 2>&1 ||
    consul acl token create -secret "$1" -description "$2" -service-identity "$3" >/dev/null
}

ensure() {
  token "$CONSUL_HAPROXY_TOKEN" 'registers haproxy' haproxy &&
    token "$CONSUL_FILES_TOKEN" 'files replicas' files &&
    token "$CONSUL_HEALTH_TOKEN" 'health' health &&
    token "$CONSUL_GATEWAY_TOKEN" 'gateway' gateway &&
    token "$CONSUL_ACCOUNTS_TOKEN" 'accounts replicas' accounts
}

trap 'exit 1' TERM INT
until ensure; do
  echo 'consul-acl: Consul not ready for ACL changes yet; trying again in 2 s'
  sleep 2 &
  wait $!
done
echo 'consul-acl: every token exists'
