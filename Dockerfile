# Customer Lookup for Slack: a small production image.
#   docker build -t customer-lookup .
#   docker run --env-file .env -p 3000:3000 customer-lookup
#   docker run --rm --env-file .env customer-lookup node dist/doctor.js [--email <a customer's address>] [--json]
# Stage 1 compiles TypeScript with the dev toolchain; stage 2 has only production dependencies and dist/.

# Node 24 LTS on Debian 13 slim, pinned: the same Node release .ci/run tests with (NODE24_VERSION there).
ARG NODE_IMAGE=node:24.22.3-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are skipped: the compiler needs none (they belong to test/lint tools such as @swc/core, esbuild).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# dist/index.js (the app) and dist/doctor.js (`npm run doctor`: checks this installation against Slack and Komerza).
COPY --from=build /app/dist ./dist
# The official image's unprivileged user (uid 1000); the app only reads its files and listens on an unprivileged port.
USER node
EXPOSE 3000
# GET /healthz is served in both modes (HTTP and Socket Mode), on PORT. Node's global fetch avoids curl/wget.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The app handles SIGTERM itself (stop taking requests, finish lookups in flight, exit 0), also as PID 1.
STOPSIGNAL SIGTERM
CMD ["node", "dist/index.js"]
