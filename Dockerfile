# Turf in production: HTTP mode, PostgreSQL from DATABASE_URL (see compose.yaml and README "Deploy").
# Build stage compiles TypeScript (and the generated Prisma client) to dist/; the runtime stage has only
# production dependencies, the compiled app, the migrations and the sample data, and runs as `node`.
# .ci/run repeats the runtime stage's steps without Docker (npm ci --omit=dev, node dist/main.js).

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Install first (cached while only sources change); postinstall generates the Prisma client.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/generate-prisma-client.mjs scripts/
COPY prisma/schema.prisma prisma/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src/ src/
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    SLACK_MODE=http \
    PORT=3000 \
    TURF_DATA_DIR=/data
WORKDIR /app
# --ignore-scripts: the Prisma client is already compiled into dist/generated; nothing to generate.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/ dist/
COPY prisma/migrations/ prisma/migrations/
COPY data/sample/ data/sample/
# The embedded database (used only when DATABASE_URL is empty) lives in a volume the app user owns.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
