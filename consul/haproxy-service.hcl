# HAProxy, the subgraph router, as a Consul service: the gateway looks up the
# service named by SUBGRAPH_ROUTER ("haproxy") and sends subgraph requests to it.
# HAProxy does not register itself, so the agent does it from this file, with
# the token allowed to register `haproxy` and nothing else (CONSUL_HAPROXY_TOKEN,
# the agent's acl.tokens.config_file_service_registration in compose.yaml).

service {
  id      = "haproxy"
  name    = "haproxy"
  # The compose service name: Docker's DNS resolves it for the gateway.
  address = "haproxy"
  port    = 8080
  tags    = ["subgraph-router"]
  # Where health reads which replicas the router actually sends requests to.
  meta = {
    stats_csv = "http://haproxy:8404/stats;csv"
  }

  check {
    id       = "haproxy-monitor"
    name     = "HAProxy monitor URI"
    http     = "http://haproxy:8404/healthz"
    interval = "5s"
    timeout  = "2s"
  }
}
