// `npm run dev`: the Worker under `wrangler dev` with a local D1 database.
// Applies the migrations locally, and (unless .dev.vars exists) writes one
// that accepts the same admin token file `npm start` uses.
import { spawnSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

// Stored designs are encrypted (they hold BMC credentials): the Worker needs
// DESIGN_ENCRYPTION_KEY. The same key file `npm start` makes is used, so both
// read the designs either stored.
if (!/^\s*DESIGN_ENCRYPTION_KEY\s*=/m.test(readFileSync('.dev.vars', 'utf8'))) {
  const keyFile = process.env.DESIGN_KEY_FILE ?? '.data/design-key';
  if (!existsSync(keyFile)) {
    mkdirSync('.data', { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  appendFileSync('.dev.vars', `DESIGN_ENCRYPTION_KEY=${readFileSync(keyFile, 'utf8').trim()}\n`);
  console.log(`added DESIGN_ENCRYPTION_KEY to .dev.vars: the key in ${keyFile}`);
}

const wrangler = 'node_modules/.bin/wrangler';
const applied = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local'], { stdio: 'inherit', env });
if (applied.status !== 0) process.exit(applied.status ?? 1);

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '8787';
const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
const origin = `http://${reachable}:${port}`;
const extra = process.argv.slice(2);

// The simulated nodes call the service at PUBLIC_URL; a Worker cannot know
// its own address, so without it their boot action reports time out. An
// explicit PUBLIC_URL (environment, `--var PUBLIC_URL:…` or .dev.vars) wins.
const setsPublicUrl =
  extra.some((arg) => arg.startsWith('PUBLIC_URL:') || arg.startsWith('PUBLIC_URL=')) ||
  (existsSync('.dev.vars') && /^\s*PUBLIC_URL\s*=/m.test(readFileSync('.dev.vars', 'utf8')));
const publicUrl = setsPublicUrl ? [] : ['--var', `PUBLIC_URL:${process.env.PUBLIC_URL ?? origin}`];

const dev = spawn(wrangler, ['dev', '--ip', host, '--port', port, ...publicUrl, ...extra], { stdio: 'inherit', env });
dev.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));

// wrangler dev runs no cron trigger, and its local Queue keeps messages in
// memory only: after a restart nothing would call a running task again.
// Do what the once-a-minute cron does when deployed: run the scheduled
// handler (the sweep of due and abandoned tasks) as soon as the Worker
// answers, then every minute.
const SWEEP_EVERY_MS = 60_000;
async function sweep() {
  try {
    await fetch(`${origin}/cdn-cgi/handler/scheduled`, { signal: AbortSignal.timeout(30_000) });
    return true;
  } catch {
    return false;
  }
}
async function sweepWhenReady() {
  while (!(await sweep())) await new Promise((resolve) => setTimeout(resolve, 500));
  console.log(`sweeping tasks now and every ${SWEEP_EVERY_MS / 1000} s (${origin}/cdn-cgi/handler/scheduled), as the cron trigger does when deployed`);
  setInterval(sweep, SWEEP_EVERY_MS).unref();
}
void sweepWhenReady();
