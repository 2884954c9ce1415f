#!/usr/bin/env node
// The package is run from its checkout (it is private), so the TypeScript
// is loaded through tsx, as `npm start` does, wherever the shell stands.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli.ts', import.meta.url).href);
