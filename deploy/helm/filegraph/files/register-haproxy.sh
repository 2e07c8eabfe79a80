#!/bin/sh
# Beside HAProxy in its pod: registers this HAProxy in Consul as the service
# `haproxy`, the router the gateway and health look up (compose does it with
# consul/haproxy-service.hcl), once HAProxy answers; registers it again when
# Consul forgets it; deregisters it when the pod stops. Consul checks the
# stats port's /healthz and drops a registration whose check has failed for
# a minute (a pod killed before it could deregister).
#
#   CONSUL_HTTP_ADDR, CONSUL_HTTP_TOKEN  the agent, and the token allowed to register haproxy
#   POD_NAME, POD_IP                     this pod (the downward API)
set -u
id="haproxy-${POD_NAME}"
case $POD_IP in
  *:*) host="[$POD_IP]" ;;
  *) host=$POD_IP ;;
esac
agent=${CONSUL_HTTP_ADDR%/}
case $agent in
  http://* | https://*) ;;
  *) agent="http://$agent" ;;
esac

consul() { # method path [body]
  curl -fsS -o /dev/null -X "$1" -H "X-Consul-Token: $CONSUL_HTTP_TOKEN" ${3:+--data "$3"} "$agent/v1/agent/$2"
}

# As haproxy-service.hcl: where health reads which replicas the router sends requests to.
definition=$(printf '{"ID":"%s","Name":"haproxy","Address":"%s","Port":8080,"Tags":["subgraph-router"],"Meta":{"stats_csv":"http://%s:8404/stats;csv"},"Check":{"Name":"HAProxy monitor URI","HTTP":"http://%s:8404/healthz","Interval":"5s","Timeout":"2s","Status":"passing","DeregisterCriticalServiceAfter":"1m"}}' \
  "$id" "$POD_IP" "$host" "$host")

stop() {
  consul PUT "service/deregister/$id" 2>/dev/null && echo "register-haproxy: deregistered $id"
  exit 0
}
trap stop TERM INT

# Registered only once HAProxy answers: its check starts passing, not failing.
until curl -fsS -o /dev/null http://127.0.0.1:8404/healthz 2>/dev/null; do
  sleep 1 &
  wait $!
done
registered=
while :; do
  if ! consul GET "service/$id" 2>/dev/null; then
    if consul PUT service/register "$definition"; then
      echo "register-haproxy: registered $id at $POD_IP:8080${registered:+ again: Consul had forgotten it}"
      registered=1
    else
      echo 'register-haproxy: Consul refused the registration or did not answer; trying again in 5 s'
    fi
  fi
  sleep 5 &
  wait $!
done
