# syntax=docker/dockerfile:1
# AutoCRM, production image. Three stages: build everything with dev dependencies, install production
# dependencies alone, then a runtime image with only compiled output and those dependencies.
# tests/production-mode.test.ts runs the same steps as a script (CI has no Docker engine): production
# install into a fresh folder, the compiled build, start with NODE_ENV=production, health, sign-in, a message.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
COPY widget/package.json widget/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
COPY widget/package.json widget/
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app /app
COPY --from=build /app/dist dist
COPY --from=build /app/web/build web/build
COPY --from=build /app/widget/dist widget/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:3000/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/server.js"]
