// Keeps stdout for our own output (tables, --json): libraries that print (tfjs, emscripten, tesseract)
// are sent to stderr while a run lasts.
export function guardStdout(): () => void {
  const saved = { log: console.log, info: console.info, warn: console.warn, debug: console.debug };
  const toErr = (...args: unknown[]): void => {
    process.stderr.write(`${args.map(String).join(' ')}\n`);
  };
  console.log = toErr;
  console.info = toErr;
  console.warn = toErr;
  console.debug = toErr;
  return () => Object.assign(console, saved);
}
