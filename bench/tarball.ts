// `npx tsx bench/tarball.ts`: how many boot action tarballs (tar + gzip +
// SHA-256 ETag, everything buildTarball does) one process builds per second,
// for nodes with 4 and 10 assets of typical sizes (systemd units, shell
// scripts, small config files). Rendering is not included: compare with
// Drydock's "renders plus tars a 4-asset boot action ~450/s" knowing that.
// Prints figures; asserts nothing about speed. BENCH_SECONDS sets the
// measured time per case (default 3).
import { performance } from 'node:perf_hooks';
import { buildTar, buildTarball, type TarFile } from '../src/bootaction/tarball.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const SIZES = [420, 1_600, 750, 4_200]; // unit, script, config, larger script

/** Deterministic text that compresses like real units and scripts (repetitive words, some variety). */
function text(bytes: number, seed: number): Uint8Array {
  const words = ['ExecStart=', '/usr/bin/', 'echo', 'curl -sSf', '${NODE}', 'systemctl', '--now', 'enable', '[Unit]', 'After='];
  let out = '';
  let x = seed;
  while (out.length < bytes) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += words[x % words.length] + (x % 7 === 0 ? '\n' : ' ') + (x % 1000).toString(36);
  }
  return new TextEncoder().encode(out.slice(0, bytes));
}

function assets(count: number): TarFile[] {
  return Array.from({ length: count }, (_, i) => ({
    path: i % 2 ? `/opt/bootaction/bin/step-${i}.sh` : `/etc/systemd/system/bootaction-${i}.service`,
    mode: i % 2 ? 0o755 : 0o644,
    content: text(SIZES[i % SIZES.length]!, i + 1),
  }));
}

async function rate(fn: () => unknown): Promise<number> {
  const warmUntil = performance.now() + 500;
  while (performance.now() < warmUntil) await fn();
  let n = 0;
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  while (performance.now() < end) {
    await fn();
    n++;
  }
  return (n * 1000) / (performance.now() - t0);
}

console.log(`node ${process.version}; ${SECONDS} s per case after 0.5 s warm-up`);
console.log('assets  content B  tarball B   tarballs/s   µs/tarball   tar only/s');
for (const count of [4, 10]) {
  const files = assets(count);
  const { bytes } = await buildTarball(files);
  const full = await rate(() => buildTarball(files));
  const tarOnly = await rate(() => buildTar(files));
  const content = files.reduce((s, f) => s + f.content.length, 0);
  console.log(
    `${String(count).padStart(6)}  ${String(content).padStart(9)}  ${String(bytes.length).padStart(9)}  ` +
      `${full.toFixed(0).padStart(11)}  ${(1e6 / full).toFixed(0).padStart(11)}  ${tarOnly.toFixed(0).padStart(11)}`,
  );
}
