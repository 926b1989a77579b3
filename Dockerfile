# Build stage: compile TypeScript with the dev toolchain.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `node` devDependency's installer is only for running tests on older hosts.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json spec.json ./
COPY src ./src
COPY scripts/build-spec-validator.ts ./scripts/
# After tsc, build-spec-validator writes dist/src/config/spec-validator.js (ajv's standalone validator for
# spec.json, so no schema is compiled at start); the script itself is not shipped.
RUN npx tsc -p tsconfig.build.json && node dist/scripts/build-spec-validator.js && rm -r dist/scripts \
    && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Runtime stage: production dependencies and compiled JavaScript only.
FROM node:24-bookworm-slim
LABEL io.airbyte.name="airbyte/destination-salesforce" \
      io.airbyte.version="0.1.0"
# NODE_OPTIONS: a 2 MB young generation (V8's default grows to 16+ MB per semi-space); peak RSS of 200,000 wide
# rows 394 → 303 MB at the same speed (BENCHMARKS.md "Rows in flight on disk").
# --initial-old-space-size=64 on node's command line (Node refuses it in NODE_OPTIONS; ENTRYPOINT,
# AIRBYTE_ENTRYPOINT and the compile-cache warm-up below all pass it): a 64 MB old generation from the start,
# where V8 starts small and grows it by full collections (13 in a 200,000-row run while ~20–30 MB is live):
# 200,000 wide rows 14.2 → 12.1 µs of CPU a row, peak RSS +13 MB; the largest case (1,000,000 narrow rows in
# 20 streams) unchanged at ~245 MB (BENCHMARKS.md "Session 7"). `npm run bench` runs the connector with
# NODE_OPTIONS and the ENTRYPOINT's node flags too (benchmarks/measured-run.ts reads them from here).
# NODE_COMPILE_CACHE: Node's compile cache (V8 code cache of every module), warmed below at build time so each
# run skips compiling the modules it loads: 15–35 ms less CPU at every start (BENCHMARKS.md "Start-up").
# Node keys the cache by its version, V8 flags and user id, so it is warmed as the user and with the
# NODE_OPTIONS the connector runs with, then made read-only: a run never writes to it. A run as another user
# or after a change of Node or of its flags finds no entry and compiles as without a cache (Node says nothing
# when the folder is missing or not writable; checked with NODE_DEBUG_NATIVE=COMPILE_CACHE).
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=2" \
    NODE_COMPILE_CACHE=/app/.compile-cache \
    SF_DISABLE_LOG_FILE=true \
    SF_LOG_STDERR=true \
    AIRBYTE_ENTRYPOINT="node --initial-old-space-size=64 /app/dist/src/main.js"
WORKDIR /app
COPY --from=build --chown=1000:1000 /app/node_modules ./node_modules
COPY --from=build --chown=1000:1000 /app/dist ./dist
COPY --chown=1000:1000 package.json spec.json ./
RUN mkdir .compile-cache && chown 1000:1000 .compile-cache
USER 1000:1000
# Loads every module a command may load (main, each command, the help, and the libraries loaded on demand:
# the S3 SDK and jsforce), which fills the cache; no command runs.
RUN node --initial-old-space-size=64 -e "for (const m of ['./dist/src/main', './dist/src/cli-usage', './dist/src/commands/spec', \
      './dist/src/commands/check', './dist/src/commands/discover', './dist/src/commands/write', \
      './dist/src/rejects/s3-client', '@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@jsforce/jsforce-node']) require(m)" \
    && chmod -R a-w .compile-cache
WORKDIR /dest
ENTRYPOINT ["node", "--initial-old-space-size=64", "/app/dist/src/main.js"]
