#!/usr/bin/env bash
# Puts in place what the tests drive for real, and only what is missing:
# HAProxy, Chromium, PostgreSQL, OpenSSL, curl and unzip from Debian's packages, and
# MinIO, mc, versitygw, actionlint, helm, Prometheus and promtool,
# Alertmanager, Mailpit and VictoriaLogs built with `go install` at the
# versions pinned below (the ops stack: ops/README.md). `npm test` runs it first, and so does .ci/run.
#
# Quick when everything is there: it only looks at files (no apt, no Go).
# When something is missing and it cannot install it (not root and no
# password-less sudo, no apt-get), it stops at once, naming each missing tool
# and the command that installs it; it never prompts. Without Go 1.26 it
# fetches that Go from the Go module proxy (the toolchain `go` itself would
# switch to, golang.org/toolchain) into ~/.cache/filegraph: Debian's is older.
#
#   ENSURE_DRY_RUN=1  say what is missing and what would run; change nothing
#   <TOOL>_BIN        use that file for a tool instead of looking for it:
#                     HAPROXY_BIN, CHROMIUM_BIN, MINIO_BIN, MC_BIN,
#                     VERSITYGW_BIN, ACTIONLINT_BIN, HELM_BIN, PROMETHEUS_BIN,
#                     PROMTOOL_BIN, ALERTMANAGER_BIN, MAILPIT_BIN,
#                     VICTORIALOGS_BIN; PG_BIN is
#                     PostgreSQL's bin folder (processes/src/tools.ts looks
#                     in the same places)
set -euo pipefail
cd "$(dirname "$0")/../.."

# Built from source: name, the variable that overrides where it is, module@version.
# MinIO's version includes the fix for CVE-2025-62506; minio/Dockerfile builds
# the same MinIO and mc, helm.test.ts and workflow.test.ts name the same helm
# and actionlint (tests compare them with this table, and processes/src/tools.ts
# reads its install commands from it). Alertmanager: v0.32 and later embed a
# UI that the module does not ship (`pattern app/dist: no matching files`).
readonly go_tools='
minio         MINIO_BIN        github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c
mc            MC_BIN           github.com/minio/mc@v0.0.0-20250313080218-cf909e1063a9
versitygw     VERSITYGW_BIN    github.com/versity/versitygw/cmd/versitygw@v1.8.0
actionlint    ACTIONLINT_BIN   github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
helm          HELM_BIN         helm.sh/helm/v3/cmd/helm@v3.22.0
prometheus    PROMETHEUS_BIN   github.com/prometheus/prometheus/cmd/prometheus@v0.316.0
promtool      PROMTOOL_BIN     github.com/prometheus/prometheus/cmd/promtool@v0.316.0
alertmanager  ALERTMANAGER_BIN github.com/prometheus/alertmanager/cmd/alertmanager@v0.31.1
mailpit       MAILPIT_BIN      github.com/axllent/mailpit@v1.33.1
victoria-logs VICTORIALOGS_BIN github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@v1.52.2
'
# helm v3.22's go.mod asks for Go 1.26; Debian 12's golang-go is 1.19.
readonly go_minimum=26
# The Go fetched when there is none that new: GOPROXY's golang.org/toolchain module.
readonly go_toolchain=go1.26.8

dry_run=${ENSURE_DRY_RUN:-}
# Where `go install` puts them, and where the tests look: $GOPATH/bin, else ~/go/bin.
gobin="${GOPATH:-$HOME/go}"
gobin="${gobin%%:*}/bin"

is_file() { [ -f "$1" ] && [ -x "$1" ]; }
on_path() { command -v "$1" >/dev/null 2>&1; }

# Succeeds when the Debian-packaged tool $1 is where the tests look for it.
have_system_tool() {
  case $1 in
    haproxy)
      if [ -n "${HAPROXY_BIN:-}" ]; then is_file "$HAPROXY_BIN"
      else on_path haproxy || is_file /usr/sbin/haproxy; fi ;;
    chromium)
      is_file "${CHROMIUM_BIN:-/usr/bin/chromium}" ;;
    postgresql)
      if [ -n "${PG_BIN:-}" ]; then is_file "$PG_BIN/postgres" && is_file "$PG_BIN/initdb"
      else compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; fi ;;
    # The usage report's tests read XLSX with it, in Debian's own python3.
    python3-openpyxl)
      is_file /usr/bin/python3 && /usr/bin/python3 -c 'import openpyxl' 2>/dev/null ;;
    *) on_path "$1" ;;
  esac
}

# Succeeds when go tool $1 (overridden by variable $2) is there at version $3:
# the first one found, as the tests take it, with its version marker.
have_go_tool() {
  local override=${!2:-}
  if [ -n "$override" ]; then is_file "$override"; return; fi
  for dir in ${GOPATH:+"${GOPATH%%:*}/bin"} "$HOME/go/bin"; do
    if is_file "$dir/$1"; then [ "$(cat "$dir/.$1-version" 2>/dev/null)" = "$3" ]; return; fi
  done
  return 1
}

missing_apt=()
for tool in haproxy chromium postgresql openssl curl unzip python3-openpyxl; do
  have_system_tool "$tool" || missing_apt+=("$tool")
done
missing_go=()
while read -r name variable module; do
  [ -n "$name" ] || continue
  have_go_tool "$name" "$variable" "${module##*@}" || missing_go+=("$name $variable $module")
done <<<"$go_tools"
missing_npm=
[ -f node_modules/.package-lock.json ] || missing_npm=1

if [ ${#missing_apt[@]} -eq 0 ] && [ ${#missing_go[@]} -eq 0 ] && [ -z "$missing_npm" ]; then
  exit 0
fi

# What can install them here: apt-get as root (or through sudo that asks no
# password), and a Go new enough for every module above.
as_root=()
apt_ok=
if on_path apt-get; then
  if [ "$(id -u)" = 0 ]; then apt_ok=1
  elif on_path sudo && sudo -n true 2>/dev/null; then apt_ok=1 as_root=(sudo -n)
  fi
fi
go=$(command -v go 2>/dev/null || true)
[ -n "$go" ] || ! is_file /usr/local/go/bin/go || go=/usr/local/go/bin/go
go_ok=
if [ -n "$go" ]; then
  version=$("$go" env GOVERSION 2>/dev/null || true) # go1.26.8
  minor=${version#go1.}
  minor=${minor%%[!0-9]*}
  [ -n "$minor" ] && [ "$minor" -ge "$go_minimum" ] && go_ok=1
fi
# No Go new enough: the pinned one, fetched once (curl and unzip are in the apt list above).
fetched_go="$HOME/.cache/filegraph/$go_toolchain"
go_fetch=
if [ ${#missing_go[@]} -gt 0 ] && [ -z "$go_ok" ]; then
  if is_file "$fetched_go/bin/go"; then go="$fetched_go/bin/go" go_ok=1
  else go_fetch=1 go="$fetched_go/bin/go"
  fi
fi
case $(uname -m) in
  aarch64 | arm64) go_arch=arm64 ;;
  *) go_arch=amd64 ;;
esac
go_proxy=${GOPROXY:-https://proxy.golang.org}
go_proxy=${go_proxy%%[,|]*}
go_zip="$go_proxy/golang.org/toolchain/@v/v0.0.1-$go_toolchain.linux-$go_arch.zip"

sudo_prefix=
[ "$(id -u)" = 0 ] || sudo_prefix='sudo '
apt_command="${sudo_prefix}apt-get install -y --no-install-recommends"
go_command() { echo "(cd /tmp && GOBIN=$gobin ${go:-go} install $1)"; }

for tool in "${missing_apt[@]}"; do
  echo "missing $tool: $apt_command $tool"
done
for entry in "${missing_go[@]}"; do
  read -r name variable module <<<"$entry"
  echo "missing $name: $(go_command "$module")"
done
[ -z "$missing_npm" ] || echo "missing npm packages: npm ci"
[ -z "$go_fetch" ] ||
  echo "missing Go 1.$go_minimum (found: ${version:-none}): fetched from $go_zip into $fetched_go"

if [ -n "$dry_run" ]; then
  [ ${#missing_apt[@]} -eq 0 ] || [ -z "$apt_ok" ] ||
    echo "would run: ${sudo_prefix}apt-get update && $apt_command ${missing_apt[*]}"
  [ -z "$go_fetch" ] || echo "would run: curl -fsSL $go_zip, unzip into $fetched_go"
  if [ -n "$go_ok$go_fetch" ]; then
    for entry in "${missing_go[@]}"; do echo "would run: $(go_command "${entry##* }")"; done
  fi
fi

problems=()
if [ ${#missing_apt[@]} -gt 0 ] && [ -z "$apt_ok" ]; then
  if on_path apt-get; then
    problems+=("apt-get needs root (and sudo asks for a password, or is not there): run \`$apt_command ${missing_apt[*]}\`")
  else
    problems+=("no apt-get here: install ${missing_apt[*]} with this system's package manager")
  fi
fi
if [ -n "$go_fetch" ] && [ -z "$apt_ok" ] && { ! on_path curl || ! on_path unzip; }; then
  problems+=("Go 1.$go_minimum or newer is needed to build them (found: ${version:-none}), and fetching it needs curl and unzip; install Go from https://go.dev/doc/install, then run the go lines above")
fi
[ -z "$missing_npm" ] ||
  problems+=("the npm packages are not installed: run \`npm ci\` first")
if [ ${#problems[@]} -gt 0 ]; then
  for problem in "${problems[@]}"; do echo "ensure: cannot install: $problem" >&2; done
  echo "ensure: \`npm run test:unit\` needs none of these tools." >&2
  exit 1
fi
[ -z "$dry_run" ] || exit 0

if [ ${#missing_apt[@]} -gt 0 ]; then
  echo "--- installing ${missing_apt[*]}"
  # Tests start their own PostgreSQL clusters: keep apt from starting the
  # system's (policy-rc.d answering 101 forbids service starts; container
  # images ship one, a plain machine may not).
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
    "${as_root[@]}" chmod +x "$policy"
    trap '"${as_root[@]}" rm -f "$policy"' EXIT
  fi
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing_apt[@]}"
fi

if [ -n "$go_fetch" ]; then
  echo "--- fetching $go_toolchain from $go_zip"
  staging=$(mktemp -d)
  curl -fsSL -o "$staging/go.zip" "$go_zip"
  unzip -q "$staging/go.zip" -d "$staging"
  mkdir -p "$(dirname "$fetched_go")"
  rm -rf "$fetched_go"
  mv "$staging/golang.org/toolchain@v0.0.1-$go_toolchain.linux-$go_arch" "$fetched_go"
  rm -rf "$staging"
fi

mkdir -p "$gobin"
for entry in "${missing_go[@]}"; do
  read -r name variable module <<<"$entry"
  slow=
  [ "$name" != minio ] || slow=' (takes a few minutes)'
  echo "--- building $module$slow"
  (cd /tmp && GOBIN=$gobin "$go" install "$module")
  echo "${module##*@}" >"$gobin/.$name-version"
done

# A <TOOL>_BIN that names no file stays missing after all that.
still=()
for tool in "${missing_apt[@]}"; do have_system_tool "$tool" || still+=("$tool"); done
for entry in "${missing_go[@]}"; do
  read -r name variable module <<<"$entry"
  have_go_tool "$name" "$variable" "${module##*@}" || still+=("$name")
done
if [ ${#still[@]} -gt 0 ]; then
  echo "ensure: still missing after installing: ${still[*]} (does a *_BIN variable name a file that is not there?)" >&2
  exit 1
fi
