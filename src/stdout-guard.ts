// Keeps stdout for our own output (the CLI's report, --json, eval tables). Libraries that print
// (tfjs, emscripten, tesseract's worker threads, whose output is piped into process.stdout) are
// sent to stderr while the guard is on.

const realWrite = process.stdout.write.bind(process.stdout);

/** Writes to the real stdout, also while the guard is on. */
export function writeStdout(s: string): void {
  realWrite(s);
}

/** Routes console output to stderr while it runs (stdout is the report); returns the undo. */
export function guardStdout(): () => void {
  const saved = { log: console.log, info: console.info, warn: console.warn, debug: console.debug };
  const savedWrite = process.stdout.write.bind(process.stdout);
  const toErr = (...args: unknown[]): void => {
    process.stderr.write(`${args.map(String).join(' ')}\n`);
  };
  console.log = toErr;
  console.info = toErr;
  console.warn = toErr;
  console.debug = toErr;
  process.stdout.write = process.stderr.write.bind(process.stderr);
  return () => {
    Object.assign(console, saved);
    process.stdout.write = savedWrite;
  };
}
