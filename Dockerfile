# One image for the bot and the worker (the command chooses). Model weights (face-api), OCR language
# data (@tesseract.js-data) and WASM binaries all come from node_modules: nothing is downloaded at
# run time. Two stages: the first installs everything and compiles to dist/ (`npm ci` runs
# `prepare`), then drops the development packages; the second keeps only what runs.
FROM node:20-bookworm-slim AS build

ENV NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app

COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY worker ./worker
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    NPM_CONFIG_UPDATE_NOTIFIER=false

WORKDIR /app

COPY package.json package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
# Links to the OCR language data in node_modules (tesseract.js reads several languages from one folder).
COPY tessdata ./tessdata

# Runs as the unprivileged "node" user; the app writes nothing to disk.
USER node

# node (not npm) as PID 1's child gets SIGTERM directly, so shutdown is graceful.
CMD ["node", "dist/src/main.js"]
