{{/* Names: <release>-<component>, or <release>-filegraph-<component> when the release name lacks "filegraph". */}}
{{- define "filegraph.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* A component's resource name: (dict "ctx" $ "name" "files"). */}}
{{- define "filegraph.component" -}}
{{- printf "%s-%s" (include "filegraph.fullname" .ctx) .name -}}
{{- end -}}

{{- define "filegraph.selectorLabels" -}}
app.kubernetes.io/name: {{ .ctx.Chart.Name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "filegraph.labels" -}}
{{ include "filegraph.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: filegraph
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version }}
{{- end -}}

{{/* One of our images: (dict "ctx" $ "name" "files") -> <registry>/files:<tag>. */}}
{{- define "filegraph.image" -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .ctx.Values.image.registry) .name (toString .ctx.Values.image.tag) -}}
{{- end -}}

{{/* Pod-level settings every pod shares: no service account token, the registry's pull secrets. */}}
{{- define "filegraph.podBasics" -}}
automountServiceAccountToken: false
enableServiceLinks: false
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* The pod's security context: the image's own unprivileged user (uid), never root. */}}
{{- define "filegraph.podSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ . }}
  runAsGroup: {{ . }}
  fsGroup: {{ . }}
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{/* Every container: read-only root file system, no capability, no privilege escalation. */}}
{{- define "filegraph.containerSecurityContext" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: [ALL]
{{- end -}}

{{/* The Secret a service's certificate is in: (dict "ctx" $ "name" "files"). */}}
{{- define "filegraph.tlsSecret" -}}
{{- $given := index .ctx.Values.internalTls.secrets .name -}}
{{- $given | default (printf "%s-%s-tls" (include "filegraph.fullname" .ctx) .name) -}}
{{- end -}}

{{- define "filegraph.consulTokensSecret" -}}
{{- .Values.consul.tokens.existingSecret | default (printf "%s-consul-tokens" (include "filegraph.fullname" .)) -}}
{{- end -}}

{{- define "filegraph.minioRootSecret" -}}
{{- .Values.minio.rootUser.existingSecret | default (printf "%s-minio-root" (include "filegraph.fullname" .)) -}}
{{- end -}}

{{- define "filegraph.minioFilesSecret" -}}
{{- .Values.minio.filesUser.existingSecret | default (printf "%s-minio-files" (include "filegraph.fullname" .)) -}}
{{- end -}}

{{- define "filegraph.postgresqlSecret" -}}
{{- .Values.postgresql.auth.existingSecret | default (printf "%s-postgresql" (include "filegraph.fullname" .)) -}}
{{- end -}}

{{- define "filegraph.identitySecret" -}}
{{- .Values.identitySecret.existingSecret | default (printf "%s-identity" (include "filegraph.fullname" .)) -}}
{{- end -}}

{{- define "filegraph.accountsAdminSecret" -}}
{{- .Values.accounts.admin.existingSecret | default (printf "%s-accounts-admin" (include "filegraph.fullname" .)) -}}
{{- end -}}

{{/*
IDENTITY_SECRET of a Node service (gateway and every subgraph), all from
the one Secret: the gateway signs who is calling with it, the subgraphs check.
*/}}
{{- define "filegraph.identityEnv" -}}
- name: IDENTITY_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "filegraph.identitySecret" . }}
      key: secret
{{- end -}}

{{/* DATABASE_URL of files and accounts (one database): the chart's PostgreSQL, or yours. */}}
{{- define "filegraph.databaseUrlEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      {{- if .Values.postgresql.enabled }}
      name: {{ include "filegraph.postgresqlSecret" . }}
      key: database-url
      {{- else }}
      name: {{ required "postgresql.external.existingSecret is required when postgresql.enabled is false" .Values.postgresql.external.existingSecret }}
      key: {{ .Values.postgresql.external.key }}
      {{- end }}
{{- end -}}

{{/* MINIO_ENDPOINT: the chart's MinIO, or the external server. */}}
{{- define "filegraph.minioEndpoint" -}}
{{- if .Values.minio.enabled -}}
{{- printf "http://%s-minio:9000" (include "filegraph.fullname" .) -}}
{{- else -}}
{{- required "minio.external.endpoint is required when minio.enabled is false" .Values.minio.external.endpoint -}}
{{- end -}}
{{- end -}}

{{/*
CONSUL_HTTP_ADDR and CONSUL_HTTP_TOKEN of a service: (dict "ctx" $ "name" "files").
Its own token, from the tokens Secret (consul/acl.sh's service identities).
*/}}
{{- define "filegraph.consulEnv" -}}
{{- if .ctx.Values.consul.nodeAgent -}}
# The Consul client agent on this node (hostPort 8500).
- name: HOST_IP
  valueFrom:
    fieldRef:
      fieldPath: status.hostIP
- name: CONSUL_HTTP_ADDR
  value: $(HOST_IP):8500
{{- else -}}
- name: CONSUL_HTTP_ADDR
  value: {{ required "consul.address is required" .ctx.Values.consul.address | quote }}
{{- end }}
- name: CONSUL_HTTP_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "filegraph.consulTokensSecret" .ctx }}
      key: {{ .name }}
{{- end -}}

{{/* Extra settings from values (<service>.env), as plain variables. */}}
{{- define "filegraph.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/*
The volumes of a Node service (gateway, files, health, accounts): its certificate
(INTERNAL_TLS_DIR, readable by the pod's group only) and an empty /tmp.
*/}}
{{- define "filegraph.nodeVolumes" -}}
- name: tls
  secret:
    secretName: {{ include "filegraph.tlsSecret" . }}
    defaultMode: 0440
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{- define "filegraph.nodeVolumeMounts" -}}
- name: tls
  mountPath: /tls
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end -}}

{{/*
Probes of a subgraph (files, health, accounts): (dict "ctx" $ "name" "files" "port" 4001).
They serve HTTPS to holders of the internal CA's certificates only, which
the kubelet's httpGet is not: the probes run in the container, with its
certificate. Readiness is compose's healthcheck (scripts/probe-ready.mjs);
liveness asks GET /health with the same script. Liveness is not readiness:
a replica whose MinIO or PostgreSQL is down is not ready, but restarting it
would not help.
*/}}
{{- define "filegraph.subgraphProbes" -}}
startupProbe:
  exec:
    command: [node, scripts/probe-ready.mjs, {{ .port | quote }}, {{ .name }}, /health]
  periodSeconds: 2
  timeoutSeconds: 3
  failureThreshold: 30
livenessProbe:
  exec:
    command: [node, scripts/probe-ready.mjs, {{ .port | quote }}, {{ .name }}, /health]
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  exec:
    command: [node, scripts/probe-ready.mjs, {{ .port | quote }}, {{ .name }}]
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}
