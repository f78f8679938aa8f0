// The layering, checked by dependency-cruiser (`npm run depcruise`, run by .ci/run after lint):
// adapters → scan service / queue / core; worker → analysis → core; never back; src/ never imports
// bench/, tests/, fixtures-kit/, eval/; only the composition root reaches worker/, through in-process.ts.
/** Core: the shared vocabulary and helpers (types, risk, render, i18n, config, log, errors, blob, …). */
const CORE = ['^src/(?!(main|cli|scan-service)\\.ts$)[^/]+\\.ts$', '^src/i18n/', '^src/blob/'];
const ROOTS = '^src/(main|cli)\\.ts$';
const TOOLING = '^(bench|tests|fixtures-kit|eval|fuzz|samples)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'adapters-only-to-service-queue-core',
      severity: 'error',
      comment:
        'A platform adapter talks to the scan service, the queue and the core; never to analysis/, worker/, ' +
        'the composition roots or the other platform.',
      from: { path: '^src/adapters/([^/]+)/' },
      to: {
        path: '^(src|worker)/',
        pathNot: ['^src/adapters/$1/', '^src/scan-service\\.ts$', '^src/queue/', '^src/choices/', ...CORE],
      },
    },
    {
      name: 'choices-only-to-core',
      severity: 'error',
      comment:
        'The face choices (records, settings, buttons) are platform-neutral: core only, never the queue, ' +
        'analysis/, a platform or worker/.',
      from: { path: '^src/choices/' },
      to: { path: ['^src/(adapters|queue|analysis)/', '^src/scan-service\\.ts$', '^worker/', ROOTS] },
    },
    {
      name: 'scan-service-not-up',
      severity: 'error',
      comment: 'The scan service (producer side) needs neither the engines, the worker nor a platform.',
      from: { path: '^src/scan-service\\.ts$' },
      to: { path: ['^src/(adapters|analysis)/', '^worker/', ROOTS] },
    },
    {
      name: 'queue-not-up',
      severity: 'error',
      comment: 'The queue carries ids and results; it knows no platform, engine or worker.',
      from: { path: '^src/queue/' },
      to: { path: ['^src/(adapters|analysis)/', '^src/scan-service\\.ts$', '^worker/', ROOTS] },
    },
    {
      name: 'worker-only-to-analysis-queue-core',
      severity: 'error',
      comment:
        'The worker runs the analysis and publishes results; it never reaches a platform or the producer.',
      from: { path: '^worker/' },
      to: { path: ['^src/adapters/', '^src/scan-service\\.ts$', ROOTS] },
    },
    {
      name: 'analysis-only-to-core',
      severity: 'error',
      comment:
        'The engines depend on the core only: never on the queue, the scan service, adapters or worker/.',
      from: { path: '^src/analysis/' },
      to: {
        path: [
          '^src/(adapters|queue|blob)/',
          '^src/(scan-service|process-lifecycle)\\.ts$',
          '^worker/',
          ROOTS,
        ],
      },
    },
    {
      name: 'core-not-up',
      severity: 'error',
      comment:
        'The core (types, risk, render, i18n, config, …) imports no adapter, queue, analysis or worker.',
      from: { path: CORE },
      to: { path: ['^src/(adapters|queue|analysis)/', '^src/scan-service\\.ts$', '^worker/', ROOTS] },
    },
    {
      name: 'only-the-root-reaches-worker',
      severity: 'error',
      comment: 'Inside src/, only the composition root (src/main.ts) may import worker/.',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^worker/' },
    },
    {
      name: 'root-through-in-process',
      severity: 'error',
      comment: 'src/main.ts reaches worker/ through its one public entry, worker/in-process.ts.',
      from: { path: '^src/main\\.ts$' },
      to: { path: '^worker/', pathNot: '^worker/in-process\\.ts$' },
    },
    {
      name: 'product-not-to-tooling',
      severity: 'error',
      comment: 'Nothing in src/ or worker/ imports bench/, tests/, fixtures-kit/, eval/, fuzz/ or samples/.',
      from: { path: '^(src|worker)/' },
      to: { path: TOOLING },
    },
    {
      name: 'kit-and-bench-not-to-tests',
      severity: 'error',
      comment: 'bench/, eval/, fuzz/ and fixtures-kit/ share fixtures-kit/, never tests/ code.',
      from: { path: '^(bench|eval|fuzz|fixtures-kit|samples)/' },
      to: { path: '^tests/' },
    },
    {
      name: 'product-not-to-dev-deps',
      severity: 'error',
      comment:
        'src/ and worker/ run from a production install: no devDependency. The thread-entry.js files are ' +
        'the exception: toThreadEntry picks them only under tsx (dev and tests); compiled threads start from dist/.',
      from: { path: '^(src|worker|bin)/', pathNot: '(^|/)(scan-)?thread-entry\\.js$' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-undeclared-package',
      severity: 'error',
      comment: 'Every npm package imported is declared in package.json (not reached through another one).',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a typo in a path fails here, not at run time).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(tests/fixtures/images|tmp|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
