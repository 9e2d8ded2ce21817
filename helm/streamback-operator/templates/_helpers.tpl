{{/* The chart's name, or nameOverride. */}}
{{- define "streamback-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: fullnameOverride, else the release name when it contains the chart's, else RELEASE-CHART. */}}
{{- define "streamback-operator.fullname" -}}
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

{{- define "streamback-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The labels that select the operator's pods. */}}
{{- define "streamback-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "streamback-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Every label of the chart's objects. */}}
{{- define "streamback-operator.labels" -}}
helm.sh/chart: {{ include "streamback-operator.chart" . }}
{{ include "streamback-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: streamback
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "streamback-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "streamback-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The operator's image: repository:tag, the tag defaulting to the appVersion. */}}
{{- define "streamback-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The default worker image, or nothing when workerImage.repository is empty. */}}
{{- define "streamback-operator.workerImage" -}}
{{- if .Values.workerImage.repository }}
{{- printf "%s:%s" .Values.workerImage.repository (default .Chart.AppVersion .Values.workerImage.tag) }}
{{- end }}
{{- end }}

{{/* "true" when leader election is on: asked for, or needed by more than one replica. */}}
{{- define "streamback-operator.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{- define "streamback-operator.leaseName" -}}
{{- default (include "streamback-operator.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{/* The watched namespaces, checked: names, no "*" (an empty list means all). */}}
{{- define "streamback-operator.watchNamespaces" -}}
{{- range .Values.watchNamespaces }}
{{- if or (not (kindIs "string" .)) (eq . "") (eq . "*") }}
{{- fail (printf "watchNamespaces: %v is not a namespace name; leave the list empty to watch all namespaces" .) }}
{{- end }}
{{- end }}
{{- join "," .Values.watchNamespaces }}
{{- end }}

{{/*
The operator's permissions: exactly the rules of operator/src/main/resources/rbac/streamback-operator-rbac.yaml
(see operator/rbac.md for why each is needed; the chart's tests check the two agree).
*/}}
{{- define "streamback-operator.rules" -}}
# Watch the custom resources.
- apiGroups: ["streamback.io"]
  resources: ["streambacklisteners", "streambackschedules"]
  verbs: ["get", "list", "watch"]
# Write their status (server-side apply of the status subresource).
- apiGroups: ["streamback.io"]
  resources: ["streambacklisteners/status", "streambackschedules/status"]
  verbs: ["patch"]
# The listeners' Deployments and the scheduler Deployments, applied server-side: patch, and create for
# an apply that creates the object; delete: a schedule switching to a CronJob.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# The schedules' CronJobs, likewise; delete: a schedule switching to seconds.
- apiGroups: ["batch"]
  resources: ["cronjobs"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# The streams Secrets through an informer: a changed Secret reconciles its resources at once; no value
# is copied anywhere.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["list", "watch"]
# The listeners' worker pods through an informer: why pods are not ready goes into the listener's status.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
# Events on the custom resources, one per object and reason, counted on recurrence.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "get", "patch"]
{{- end }}

{{/* Leader election: the Lease that elects the active replica. */}}
{{- define "streamback-operator.leaderElectionRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update", "patch"]
{{- end }}
