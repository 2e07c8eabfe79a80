# Every Node service: the files and health subgraphs and the gateway. They
# differ only in their workspace, their port and the modules they load on
# demand, which compose.yaml passes as build arguments (CI passes the same;
# a test holds the three together). Build from the repository root (it needs
# the lockfile), e.g.:
#   docker build -f docker/node-service.Dockerfile \
#     --build-arg WORKSPACE=subgraphs/health --build-arg SERVICE_PORT=4002 .
# Node 24 runs the TypeScript sources as they are: there is no build step.

FROM node:24.21.0-bookworm-slim AS deps
# The service's workspace folder: subgraphs/files, subgraphs/health or supergraph.
ARG WORKSPACE
WORKDIR /app
# npm ci checks every workspace's manifest against the lockfile, then installs
# only this workspace's production dependencies, running no install scripts.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY processes/package.json processes/
COPY testing/package.json testing/
COPY subgraphs/files/package.json subgraphs/files/
COPY subgraphs/health/package.json subgraphs/health/
COPY subgraphs/accounts/package.json subgraphs/accounts/
COPY supergraph/package.json supergraph/
COPY frontend/package.json frontend/
COPY scripts/package.json scripts/
COPY bench/package.json bench/
COPY cli/package.json cli/
RUN : "${WORKSPACE:?pass --build-arg WORKSPACE=<the service's workspace folder>}"; \
    npm ci --workspace "$WORKSPACE" --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24.21.0-bookworm-slim
ARG WORKSPACE
# The port the service listens on by default (its PORT in compose.yaml).
ARG SERVICE_PORT
# Modules the service imports only on demand (import()), space-separated:
# the warm-up below loads them up front, so that they are cached too.
ARG PRELOAD=
ENV NODE_ENV=production
# What CMD starts: an exec-form CMD cannot expand a build argument.
ENV SERVICE_MAIN=${WORKSPACE}/src/main.ts
WORKDIR /app
COPY --from=deps /app ./
COPY shared/src shared/src
COPY ${WORKSPACE}/src ${WORKSPACE}/src
# For the files service's STORAGE=disk (DATA_DIR=./data): a volume mounted
# here starts writable. Empty in the other services.
RUN mkdir data && chown node:node data
COPY scripts/node-service scripts/probe-ready.mjs scripts/
# Warm Node's compile cache, so the service never loads the TypeScript
# stripper (~15 MiB): loading main.ts (and each PRELOAD module, through
# --import) strips every module, then the deliberately invalid PORT makes it
# exit before it serves.
RUN set --; for module in $PRELOAD; do set -- "$@" --import "./$module"; done; \
    PORT=warm-up NODE_COMPILE_CACHE=node_modules/.cache/node-compile node "$@" "$SERVICE_MAIN" 2>/dev/null; \
    test -n "$(ls node_modules/.cache/node-compile)"
USER node
EXPOSE ${SERVICE_PORT}
# The memory tuning every service runs with (see the script); exec, so that
# Node is PID 1 and gets SIGTERM.
CMD ["/bin/sh", "-c", "exec scripts/node-service \"$SERVICE_MAIN\""]
