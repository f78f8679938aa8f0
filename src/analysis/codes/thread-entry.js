// Entry of the code reader's thread under tsx: registers tsx in this thread (loader hooks are per
// thread), then loads the TypeScript thread code. Compiled, the thread starts from reader-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./reader-worker.ts');
