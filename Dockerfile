# One image for the api, the worker and the migrate job (docker-compose.yml picks the command).
# Node 22 is the current LTS line (20 leaves maintenance in April 2026).
# All dependencies (compiler, Vite, React, Ant Design), shared by the two build stages below.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# The web console and the public portal (console/, React + Ant Design) built by Vite into console/dist.
# It imports the stage and name tables of domain/ (console/tsconfig.json), so those come too.
FROM deps AS console
COPY domain domain
COPY console console
RUN npx vite build --config console/vite.config.ts --logLevel warn && test -f console/dist/index.html

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY config config
COPY domain domain
COPY workflows workflows
COPY activities activities
COPY api api
COPY worker worker
COPY db db
COPY scripts scripts
COPY observability observability
RUN npx tsc -p tsconfig.build.json && cp -r db/migrations dist/db/migrations
# The workflow bundle built ahead (and its tracing variant): the worker starts without webpack (WORKFLOW_BUNDLE_PATH).
RUN npx tsx scripts/build-workflows.ts dist/workflow-bundle.js

FROM node:22-bookworm-slim
ENV NODE_ENV=production
# The worker loads the prebuilt bundle (dist/workflow-bundle.js, or .tracing.js when tracing); the API ignores it.
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only: no compiler, test tools or the web console's build chain.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# api/console.ts serves the console and portal from ../console/dist beside the compiled api/ (CONSOLE_DIST):
# /app/dist/api/console.js → /app/dist/console/dist, so / and /console answer in the image.
COPY --from=console /app/console/dist ./dist/console/dist
USER node
EXPOSE 3000
# The API's liveness (the default command). docker-compose.yml gives the worker its own check
# (its /health on WORKER_METRICS_PORT) and turns it off for the one-shot migrate job.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=4 \
  CMD ["node", "-e", "fetch('http://localhost:'+(process.env.API_PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/api/main.js"]
