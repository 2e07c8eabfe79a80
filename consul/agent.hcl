# The one Consul server of the compose stack: service catalogue, health checks
# and the DNS interface HAProxy reads (port 8600). One server cannot survive its
# own loss; beyond one machine run three or five (on Kubernetes: the Consul Helm chart).
# The image's entrypoint adds -data-dir=/consul/data, a named volume, so
# registrations and the node's identity survive a restart.

server           = true
bootstrap_expect = 1
datacenter       = "dc1"
# Stable across container re-creation, unlike the container's host name.
node_name   = "consul"
client_addr = "0.0.0.0"

ui_config {
  enabled = true
}

# ACLs, default deny (issue 19): without a token allowed to, nobody registers a
# service (posing as haproxy or files) nor reads the catalogue. Each service
# holds its own token (CONSUL_HTTP_TOKEN); the agent's own tokens (management,
# agent, DNS, and the one that registers haproxy-service.hcl) come from
# CONSUL_LOCAL_CONFIG in compose.yaml; consul/acl.sh creates them in Consul.
acl {
  enabled        = true
  default_policy = "deny"
  # While the leader cannot be asked, a token keeps the rights last known.
  down_policy = "extend-cache"
}

# The services serve HTTPS to holders of the internal CA's certificates only
# (tls/make-certs.sh; compose mounts Consul's at /consul/tls): HTTP checks use
# the agent's certificate (internal_rpc's, by Consul's rules), and check the
# service's, named by each check's TLSServerName. Consul's own API and RPC stay
# as they were: verify_incoming and verify_outgoing are off.
enable_agent_tls_for_checks = true
tls {
  internal_rpc {
    ca_file   = "/consul/tls/ca.crt"
    cert_file = "/consul/tls/tls.crt"
    key_file  = "/consul/tls/tls.key"
  }
}

# No calls home from a self-hosted stack.
disable_update_check = true

log_level = "INFO"
log_json  = true
