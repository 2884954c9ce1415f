// Node running the TypeScript sources through tsx (`npm start`): tsx's
// loader is registered in the main thread only, so a worker thread
// registers it again before importing its TypeScript entry. Deno, and
// Node on compiled JavaScript, load the entry directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
