{{/* The chart's short name. */}}
{{- define "forwardloop.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release-qualified name every object name starts with. */}}
{{- define "forwardloop.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object; dict "root" . "component" NAME. */}}
{{- define "forwardloop.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: forwardloop
{{ include "forwardloop.selectorLabels" . }}
{{- end }}

{{/* Labels that select a component's pods; dict "root" . "component" NAME. */}}
{{- define "forwardloop.selectorLabels" -}}
app.kubernetes.io/name: {{ include "forwardloop.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* A pinned image reference; dict "root" . "image" IMAGE-VALUES. */}}
{{- define "forwardloop.image" -}}
{{- $tag := default .root.Chart.AppVersion .image.tag -}}
{{- if .root.Values.image.registry -}}
{{ printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .image.repository $tag }}
{{- else -}}
{{ printf "%s:%s" .image.repository $tag }}
{{- end -}}
{{- end }}

{{- define "forwardloop.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "forwardloop.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Secret names: the chart's own, or the existing ones the values name. */}}
{{- define "forwardloop.kafkaSecretName" -}}
{{- default (printf "%s-kafka" (include "forwardloop.fullname" .)) .Values.kafka.existingSecret }}
{{- end }}

{{- define "forwardloop.kafkaTlsSecretName" -}}
{{- default (printf "%s-kafka-tls" (include "forwardloop.fullname" .)) .Values.kafka.tls.existingSecret }}
{{- end }}

{{- define "forwardloop.registryAuthSecretName" -}}
{{- default (printf "%s-registry-auth" (include "forwardloop.fullname" .)) .Values.modelRegistry.auth.existingSecret }}
{{- end }}

{{- define "forwardloop.databaseSecretName" -}}
{{- default (printf "%s-database" (include "forwardloop.fullname" .)) .Values.modelRegistry.database.existingSecret }}
{{- end }}

{{/* Whether the Kafka connection uses SASL, a trust store, a key store. */}}
{{- define "forwardloop.kafkaSasl" -}}
{{- if hasPrefix "SASL" .Values.kafka.securityProtocol }}true{{ end }}
{{- end }}

{{- define "forwardloop.kafkaTls" -}}
{{- if .Values.kafka.tls.enabled }}true{{ end }}
{{- end }}

{{- define "forwardloop.kafkaMutualTls" -}}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.mutual }}true{{ end }}
{{- end }}

{{/* One properties line per entry of a map, sorted; whole numbers print without exponent. */}}
{{- define "forwardloop.propertiesLines" -}}
{{- range $key, $value := . }}
{{- if and (kindIs "float64" $value) (eq (float64 (int64 $value)) $value) }}
{{ $key }}={{ int64 $value }}
{{- else }}
{{ $key }}={{ $value }}
{{- end }}
{{- end }}
{{- end }}

{{/* The non-secret ClusterConnection keys. */}}
{{- define "forwardloop.connectionProperties" -}}
kafka.bootstrap.servers={{ .Values.kafka.bootstrapServers }}
kafka.security.protocol={{ .Values.kafka.securityProtocol }}
{{- if include "forwardloop.kafkaSasl" . }}
kafka.sasl.mechanism={{ .Values.kafka.sasl.mechanism }}
{{- end }}
{{- if include "forwardloop.kafkaTls" . }}
kafka.ssl.truststore.location=/etc/forwardloop/kafka-tls/{{ .Values.kafka.tls.truststoreKey }}
{{- end }}
{{- if include "forwardloop.kafkaMutualTls" . }}
kafka.ssl.keystore.location=/etc/forwardloop/kafka-tls/{{ .Values.kafka.tls.keystoreKey }}
{{- end }}
schema.registry.url={{ .Values.schemaRegistry.url }}
{{- if .Values.schemaRegistry.basicAuth.enabled }}
basic.auth.credentials.source=USER_INFO
{{- end }}
{{- end }}

{{/* The URL of the model registry inside the cluster. */}}
{{- define "forwardloop.registryUrl" -}}
http://{{ include "forwardloop.fullname" . }}-model-registry:{{ .Values.modelRegistry.service.port }}
{{- end }}

{{/*
Environment of the config init container: each FLPROP_<KEY> variable becomes the property
<key> (lower case, "_" read as "."), its value taken from a Secret.
*/}}
{{- define "forwardloop.secretProperty" -}}
- name: FLPROP_{{ .key | upper | replace "." "_" }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .secretKey }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}

{{/* The Kafka and schema registry credentials; dict "root" . "secret" NAME. */}}
{{- define "forwardloop.connectionSecretEnv" -}}
{{- $root := .root -}}
{{- if include "forwardloop.kafkaSasl" $root }}
{{ include "forwardloop.secretProperty" (dict "key" "kafka.sasl.jaas.config" "secret" .secret "secretKey" "sasl-jaas-config") }}
{{- end }}
{{- if include "forwardloop.kafkaTls" $root }}
{{ include "forwardloop.secretProperty" (dict "key" "kafka.ssl.truststore.password" "secret" .secret "secretKey" "ssl-truststore-password" "optional" true) }}
{{- end }}
{{- if include "forwardloop.kafkaMutualTls" $root }}
{{ include "forwardloop.secretProperty" (dict "key" "kafka.ssl.keystore.password" "secret" .secret "secretKey" "ssl-keystore-password") }}
{{ include "forwardloop.secretProperty" (dict "key" "kafka.ssl.key.password" "secret" .secret "secretKey" "ssl-key-password" "optional" true) }}
{{- end }}
{{- if $root.Values.schemaRegistry.basicAuth.enabled }}
{{ include "forwardloop.secretProperty" (dict "key" "basic.auth.user.info" "secret" .secret "secretKey" "schema-registry-user-info") }}
{{- end }}
{{- end }}

{{/* The data of the Kafka credentials Secret made from values. */}}
{{- define "forwardloop.kafkaSecretData" -}}
{{- if include "forwardloop.kafkaSasl" . }}
sasl-jaas-config: {{ required "kafka.sasl.jaasConfig is required when kafka.securityProtocol is SASL_*; give the JAAS login module line or set kafka.existingSecret" .Values.kafka.sasl.jaasConfig | b64enc | quote }}
{{- end }}
{{- with .Values.kafka.tls.truststorePassword }}
ssl-truststore-password: {{ . | b64enc | quote }}
{{- end }}
{{- if include "forwardloop.kafkaMutualTls" . }}
ssl-keystore-password: {{ required "kafka.tls.keystorePassword is required when kafka.tls.mutual is true; give it or set kafka.existingSecret" .Values.kafka.tls.keystorePassword | b64enc | quote }}
{{- end }}
{{- with .Values.kafka.tls.keyPassword }}
ssl-key-password: {{ . | b64enc | quote }}
{{- end }}
{{- if .Values.schemaRegistry.basicAuth.enabled }}
schema-registry-user-info: {{ required "schemaRegistry.basicAuth.userInfo is required when basic auth is enabled; give user:password or set kafka.existingSecret" .Values.schemaRegistry.basicAuth.userInfo | b64enc | quote }}
{{- end }}
{{- end }}

{{/* The data of the Kafka TLS stores Secret made from values. */}}
{{- define "forwardloop.kafkaTlsSecretData" -}}
{{ .Values.kafka.tls.truststoreKey }}: {{ required "kafka.tls.truststoreBase64 is required when kafka.tls.enabled is true; give the PKCS12 trust store base64-encoded or set kafka.tls.existingSecret" .Values.kafka.tls.truststoreBase64 | quote }}
{{- if include "forwardloop.kafkaMutualTls" . }}
{{ .Values.kafka.tls.keystoreKey }}: {{ required "kafka.tls.keystoreBase64 is required when kafka.tls.mutual is true; give the PKCS12 key store base64-encoded or set kafka.tls.existingSecret" .Values.kafka.tls.keystoreBase64 | quote }}
{{- end }}
{{- end }}

{{/*
The config init container: it writes /etc/forwardloop/run/forwardloop.properties from the
ConfigMap's file and the FLPROP_* variables, so that secrets never sit in a ConfigMap.
dict "root" . "image" IMAGE "env" ENV-YAML "resources" RESOURCES
*/}}
{{- define "forwardloop.configInit" -}}
- name: config
  image: {{ .image }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  command:
    - sh
    - -c
    - |
      set -eu
      umask 077
      out=/etc/forwardloop/run/forwardloop.properties
      cat /etc/forwardloop/base/forwardloop.properties > "$out"
      for name in $(env | sed -n 's/^\(FLPROP_[A-Z0-9_]*\)=.*/\1/p' | sort); do
        eval "value=\${$name}"
        key=$(printf '%s' "${name#FLPROP_}" | tr 'A-Z_' 'a-z.')
        printf '%s=%s\n' "$key" "$(printf '%s' "$value" | tr '\n' ' ' | sed 's/\\/\\\\/g')" >> "$out"
      done
  {{- with .env }}
  env:
    {{- . | trim | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .root.Values.containerSecurityContext | nindent 4 }}
  resources:
    {{- toYaml .resources | nindent 4 }}
  volumeMounts:
    - name: config
      mountPath: /etc/forwardloop/base
      readOnly: true
    - name: run-config
      mountPath: /etc/forwardloop/run
{{- end }}

{{/* Volumes of a service pod; dict "root" . "configMap" NAME. */}}
{{- define "forwardloop.volumes" -}}
- name: config
  configMap:
    name: {{ .configMap }}
- name: run-config
  emptyDir:
    medium: Memory
    sizeLimit: 1Mi
- name: tmp
  emptyDir:
    sizeLimit: 1Gi
{{- if include "forwardloop.kafkaTls" .root }}
- name: kafka-tls
  secret:
    secretName: {{ .tlsSecret | default (include "forwardloop.kafkaTlsSecretName" .root) }}
    defaultMode: 288 # 0440: readable by the owner and group
    items:
      - key: {{ .root.Values.kafka.tls.truststoreKey }}
        path: {{ .root.Values.kafka.tls.truststoreKey }}
      {{- if include "forwardloop.kafkaMutualTls" .root }}
      - key: {{ .root.Values.kafka.tls.keystoreKey }}
        path: {{ .root.Values.kafka.tls.keystoreKey }}
      {{- end }}
{{- end }}
{{- end }}

{{/* Mounts of a service container. */}}
{{- define "forwardloop.volumeMounts" -}}
- name: run-config
  mountPath: /etc/forwardloop/run
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- if include "forwardloop.kafkaTls" . }}
- name: kafka-tls
  mountPath: /etc/forwardloop/kafka-tls
  readOnly: true
{{- end }}
{{- end }}

{{/*
HTTP probes on the named port: the top-level `probes` with the service's own over them; a probe
with enabled: false is left out. dict "root" . "probes" SERVICE-PROBES
*/}}
{{- define "forwardloop.probes" -}}
{{- $probes := mergeOverwrite (deepCopy .root.Values.probes) (deepCopy (default dict .probes)) }}
{{- range $kind, $path := dict "startup" "/health" "liveness" "/health" "readiness" "/ready" }}
{{- $probe := default dict (index $probes $kind) }}
{{- if $probe.enabled }}
{{ $kind }}Probe:
  httpGet:
    path: {{ $path }}
    port: http
  {{- range $field := list "initialDelaySeconds" "periodSeconds" "timeoutSeconds" "failureThreshold" }}
  {{- if hasKey $probe $field }}
  {{ $field }}: {{ index $probe $field | int64 }}
  {{- end }}
  {{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Checks the adapter list once for every template that derives keys from it: unique names, and one
encoder for all, since a gateway runs one.
*/}}
{{- define "forwardloop.checkAdapters" -}}
{{- $names := list }}
{{- $encoders := dict }}
{{- range $adapter := .Values.adapters }}
{{- if has $adapter.name $names }}
{{- fail (printf "adapters: the name %q appears twice; give each adapter one entry" $adapter.name) }}
{{- end }}
{{- $names = append $names $adapter.name }}
{{- $_ := set $encoders $adapter.encoder $adapter.name }}
{{- end }}
{{- if gt (len $encoders) 1 }}
{{- fail (printf "adapters: the adapters name different encoders (%s); a gateway runs one encoder, so give every adapter the same one or install a release per encoder" (keys $encoders | sortAlpha | join ", ")) }}
{{- end }}
{{- end }}

{{/* The encoder every adapter reads (the gateways' encoder.id). */}}
{{- define "forwardloop.encoderId" -}}
{{- include "forwardloop.checkAdapters" . }}
{{- (first .Values.adapters).encoder }}
{{- end }}

{{/* The gateways' gateway.adapters: name:label|label,... in the order of `adapters`. */}}
{{- define "forwardloop.gatewayAdapters" -}}
{{- include "forwardloop.checkAdapters" . }}
{{- $entries := list }}
{{- range $adapter := .Values.adapters }}
{{- $entries = append $entries (printf "%s:%s" $adapter.name (join "|" $adapter.labels)) }}
{{- end }}
{{- join "," $entries }}
{{- end }}

{{/* The adapter names, comma-separated (the ingest service's ingest.adapters). */}}
{{- define "forwardloop.adapterNames" -}}
{{- include "forwardloop.checkAdapters" . }}
{{- $names := list }}
{{- range $adapter := .Values.adapters }}
{{- $names = append $names $adapter.name }}
{{- end }}
{{- join "," $names }}
{{- end }}

{{/* Container environment every JVM service gets. */}}
{{- define "forwardloop.jvmEnv" -}}
- name: JAVA_TOOL_OPTIONS
  value: {{ printf "%s -Djava.io.tmpdir=/tmp" .javaOpts | trim | quote }}
- name: DJL_CACHE_DIR
  value: /tmp/djl
{{- end }}

{{/* A digest of the values that feed the Secrets, so that pods restart when they change. */}}
{{- define "forwardloop.credentialsChecksum" -}}
{{- toJson (list .Values.kafka .Values.schemaRegistry .Values.modelRegistry.auth .Values.modelRegistry.database) | sha256sum | trunc 16 }}
{{- end }}
