# HAProxy, the subgraph router, as a Consul service: the gateway looks up the
# service named by SUBGRAPH_ROUTER ("haproxy") and sends subgraph requests to it.
# HAProxy does not register itself, so the agent does it from this file.

service {
  id      = "haproxy"
  name    = "haproxy"
  # The compose service name: Docker's DNS resolves it for the gateway.
  address = "haproxy"
  port    = 8080
  tags    = ["subgraph-router"]

  check {
    id       = "haproxy-monitor"
    name     = "HAProxy monitor URI"
    http     = "http://haproxy:8404/healthz"
    interval = "5s"
    timeout  = "2s"
  }
}
