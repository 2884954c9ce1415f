// `npm run dev`: the Worker under `wrangler dev` with a local D1 database.
// Applies the migrations locally, and (unless .dev.vars exists) writes one
// that accepts the same admin token file `npm start` uses.
import { spawnSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { offlineEnv } from './offline-env.mjs';

const env = offlineEnv();
const tokenFile = process.env.ADMIN_TOKEN_FILE ?? '.data/admin-token';

if (!existsSync('.dev.vars')) {
  if (!existsSync(tokenFile)) {
    mkdirSync('.data', { recursive: true, mode: 0o700 });
    writeFileSync(tokenFile, `ddt_${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  const digest = createHash('sha256').update(readFileSync(tokenFile, 'utf8').trim()).digest('hex');
  writeFileSync('.dev.vars', `AUTH_TOKENS=admin:admin:${digest}\n`, { mode: 0o600 });
  console.log(`wrote .dev.vars: the admin token in ${tokenFile} is accepted as X-Auth-Token`);
}

const wrangler = 'node_modules/.bin/wrangler';
const applied = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local'], { stdio: 'inherit', env });
if (applied.status !== 0) process.exit(applied.status ?? 1);

const port = process.env.PORT ?? '8787';
const dev = spawn(wrangler, ['dev', '--ip', process.env.HOST ?? '127.0.0.1', '--port', port, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
dev.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
