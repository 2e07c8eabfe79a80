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

# No calls home from a self-hosted stack.
disable_update_check = true

log_level = "INFO"
log_json  = true
