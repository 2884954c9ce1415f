// `npm run bench:oob`: what one bounded OOB driver call costs against each
// real peer on loopback (interrogate_oob: a login, a few reads, a logout),
// and what sealing designs at rest adds to storing and loading them.
//
// Peers as in the tests: the Redfish emulator over TLS (test/drivers/redfish),
// OpenIPMI's ipmi_sim through ipmitool (test/drivers/ipmi), libvirtd's test
// hypervisor through virsh (test/drivers/libvirt); a peer whose tools are
// missing is left out with a line saying so. Calls run interleaved, round
// after round, so drift hits every driver alike; prints p50/p90 in ms.
//
// Knobs: BENCH_ROUNDS (40), BENCH_DESIGN_MB (1).
import { createSecretBox } from '../src/core/secret-box.ts';
import { sha256Hex } from '../src/core/digest.ts';
import type { DriverAction } from '../src/drivers/actions.ts';
import type { Progress } from '../src/drivers/types.ts';
import { contextFor as ipmiContext, nodeOf as ipmiNode } from '../test/drivers/ipmi/context.ts';
import { startIpmiSim } from '../test/drivers/ipmi/ipmi-sim.ts';
import { contextFor as libvirtContext, libvirtNode } from '../test/drivers/libvirt/context.ts';
import { startLibvirtTestDaemon } from '../test/drivers/libvirt/libvirt-daemon.ts';
import { contextFor as redfishContext, nodeOf as redfishNode } from '../test/drivers/redfish/context.ts';
import { startEmulator } from '../test/drivers/redfish/emulator.ts';
import { selfSignedCert } from '../test/drivers/redfish/tls-cert.ts';
import { hasSiteTools } from '../test/helpers/site-tools.ts';
import { positiveNumber } from './knobs.mjs';

const ROUNDS = positiveNumber('BENCH_ROUNDS', 40);
const DESIGN_MB = positiveNumber('BENCH_DESIGN_MB', 1);

type Call = () => Promise<Progress>;
const calls = new Map<string, Call>();
const stops: Array<() => Promise<void> | void> = [];

const cert = selfSignedCert();
stops.push(() => cert.remove());
const emulator = await startEmulator({ tls: { key: cert.key, cert: cert.cert }, power: 'On' });
stops.push(() => emulator.close());
{
  const node = redfishNode('rf1', emulator);
  const { ctx, driver } = await redfishContext([node], { REDFISH_CA_FILE: cert.certFile });
  calls.set('redfish (fetch, TLS, session)', () => driver.run(ctx, 'interrogate_oob' as DriverAction, node));
}
if (hasSiteTools('ipmi')) {
  const sim = await startIpmiSim({ initialPower: 'on' });
  stops.push(() => sim.stop());
  const node = ipmiNode('ipmi1', sim);
  const { ctx, driver } = ipmiContext([node]);
  calls.set('ipmi (ipmitool lanplus)', () => driver.run(ctx, 'interrogate_oob', node));
} else console.log('ipmi left out: ipmi_sim or ipmitool not found (Debian openipmi, ipmitool)');
if (hasSiteTools('libvirt')) {
  const daemon = await startLibvirtTestDaemon();
  stops.push(() => daemon.stop());
  await daemon.defineDomain('lv1', { running: true });
  const node = libvirtNode('lv1', daemon.uri);
  const { ctx, driver } = libvirtContext([node]);
  calls.set('libvirt (virsh)', () => driver.run(ctx, 'interrogate_oob', node));
} else console.log('libvirt left out: virsh or libvirtd not found (Debian libvirt-clients, libvirt-daemon)');

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const timings = new Map<string, number[]>([...calls.keys()].map((k) => [k, []]));
try {
  for (let round = 0; round < ROUNDS + 3; round++) {
    for (const [name, call] of calls) {
      const t0 = performance.now();
      const answer = await call();
      const ms = performance.now() - t0;
      if (answer.state !== 'done') throw new Error(`${name}: ${JSON.stringify(answer)}`);
      if (round >= 3) timings.get(name)!.push(ms);
    }
  }
  console.log(`\none interrogate_oob call, ${ROUNDS} rounds (after 3 warm-up):`);
  for (const [name, xs] of timings) console.log(`  ${name.padEnd(32)} p50 ${pct(xs, 50).toFixed(1)} ms   p90 ${pct(xs, 90).toFixed(1)} ms`);
} finally {
  for (const stop of stops.reverse()) await stop();
}

// Designs at rest: a pin stores (hash + seal) and a load after a cache miss
// opens; compared with the SHA-256 every store already does.
const box = createSecretBox(crypto.getRandomValues(new Uint8Array(32)));
const text = 'metadata:\n  name: x\n'.repeat(Math.ceil((DESIGN_MB * 1_048_576) / 20)).slice(0, DESIGN_MB * 1_048_576);
const seal: number[] = [];
const open: number[] = [];
const hash: number[] = [];
for (let i = 0; i < 23; i++) {
  let t0 = performance.now();
  await sha256Hex(text);
  const h = performance.now() - t0;
  t0 = performance.now();
  const sealed = await box.seal(text);
  const s = performance.now() - t0;
  t0 = performance.now();
  await box.open(sealed);
  const o = performance.now() - t0;
  if (i >= 3) {
    hash.push(h);
    seal.push(s);
    open.push(o);
  }
}
console.log(`\na ${DESIGN_MB} MB design, 20 rounds: sha256 p50 ${pct(hash, 50).toFixed(2)} ms, seal p50 ${pct(seal, 50).toFixed(2)} ms, open p50 ${pct(open, 50).toFixed(2)} ms`);
