# Mail Providers: the production bundle (scripts/bundle.mjs) on Node.js 20, and nothing else.
#   docker build -t mail-providers .
#   docker run --init -p 127.0.0.1:4000:4000 -v mail-providers-data:/data mail-providers
# See docs/deploy.md.

# The bundle is made from this checkout: install, build every package, copy the API with its
# production dependencies and the panel into /bundle.
FROM node:20-bookworm AS build
WORKDIR /src
# The manifests and the lockfile alone first, so the install layer is reused while they stay the same.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/mailer-core/package.json packages/mailer-core/
COPY packages/api/package.json packages/api/
COPY packages/admin/package.json packages/admin/
RUN npx -y pnpm@10.34.9 install --frozen-lockfile
COPY . .
RUN npx -y pnpm@10.34.9 run bundle /bundle

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data
# Owned by root and read-only to the server; only /data is its own. Without DATABASE_URL the embedded
# PostgreSQL runs there, as the same non-root user.
COPY --from=build /bundle /app
RUN mkdir /data && chown node:node /data
VOLUME /data
WORKDIR /app
USER node
EXPOSE 4000
# Slim images have no curl: Node asks /readyz itself (the database answers, the worker runs).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# SIGTERM (docker stop) stops it gracefully; give it the time (docker stop -t 30, stop_grace_period).
CMD ["node", "/app/main.js"]
