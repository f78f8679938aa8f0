// Entry of the face thread: registers tsx in this thread (loader hooks are per thread), then loads the
// TypeScript thread code. Kept as plain JS so it starts the same under tsx, node and vitest.
import { register } from 'tsx/esm/api';

register();
await import('./thread-worker.ts');
