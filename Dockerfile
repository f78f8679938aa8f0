# One image for the bot and the worker (the command chooses). Model weights (face-api), OCR language
# data (@tesseract.js-data) and WASM binaries all come from node_modules: nothing is downloaded at
# run time.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    NPM_CONFIG_UPDATE_NOTIFIER=false

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY worker ./worker
# Links to the OCR language data in node_modules (tesseract.js reads several languages from one folder).
COPY tessdata ./tessdata

# Runs as the unprivileged "node" user; the app writes nothing to disk.
USER node

# node (not npm) as PID 1's child gets SIGTERM directly, so shutdown is graceful.
CMD ["node", "--import", "tsx", "src/main.ts"]
