import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_ENTRY, ROOT, serverEnv, startServer, type Server } from '../helpers/spawn.ts';
import { closedPort } from '../helpers/origin.ts';

// README.md's quick start and walkthrough, run as written. Every ```sh block
// from "## Quick start" to "## Tests" runs, in order, in one bash session
// (variables and functions carry over, as in an operator's shell), except
// the lines that start the server: `[VAR=value ...] npm start` (re)starts
// the Node entry with those variables, and `npm ci` is skipped. Each
// `# -> text` in a block is a promise: the block's output must contain the
// texts in order, `<…>` standing for any text on one line.
//
// Two things differ from an operator's machine, and only by substitution:
// the server listens on a free port instead of 9000, and `.data/` is a
// temporary folder instead of the checkout's own.

const README_PORT = 'http://127.0.0.1:9000';
const BLOCK_TIMEOUT_MS = 30_000;
const START_LINE = /^((?:[A-Z][A-Z0-9_]*=\S*\s+)*)npm start\s*$/;
const DONE = '@@walkthrough-block-done@@';

type Block = { kind: 'server'; vars: Record<string, string> } | { kind: 'shell'; script: string; promises: string[] };

function walkthroughBlocks(markdown: string): Block[] {
  const from = markdown.indexOf('\n## Quick start');
  const to = markdown.indexOf('\n## Tests');
  expect(from).toBeGreaterThan(-1);
  expect(to).toBeGreaterThan(from);
  return [...markdown.slice(from, to).matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map(([, body]): Block => {
    const lines = body!.split('\n').filter((line) => line.trim() !== '');
    const starts = lines.filter((line) => START_LINE.test(line));
    if (starts.length > 0) {
      // A block that starts the server does nothing else (the operator runs it in its own terminal).
      expect(lines.filter((line) => line !== 'npm ci' && !START_LINE.test(line))).toEqual([]);
      const assignments = START_LINE.exec(starts.at(-1)!)![1]!.trim();
      const vars = Object.fromEntries(assignments ? assignments.split(/\s+/).map((a) => [a.split('=')[0]!, a.slice(a.indexOf('=') + 1)]) : []);
      return { kind: 'server', vars };
    }
    const promises = lines.flatMap((line) => {
      const promise = /#\s*->\s*(.*?)\s*$/.exec(line);
      return promise ? [promise[1]!] : [];
    });
    return { kind: 'shell', script: body!, promises };
  });
}

/** A promise as a pattern: literal text, each `<…>` any text on one line. */
function promisePattern(promise: string): RegExp {
  const parts = promise.split(/<[^<>]*>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('[^\\n]*?'));
}

/** One bash process that runs blocks one after another, sourcing each so its variables stay. */
class Shell {
  private output = '';
  private readonly bash: ChildProcessWithoutNullStreams;
  private count = 0;

  constructor(
    private readonly dir: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.bash = spawn('bash', [], { cwd: ROOT, env });
    this.bash.stdout.setEncoding('utf8').on('data', (d: string) => (this.output += d));
    this.bash.stderr.setEncoding('utf8').on('data', (d: string) => (this.output += d));
  }

  /** Runs `script` with stdin from /dev/null (a command must not eat the next block) and returns what it printed. */
  async run(script: string): Promise<string> {
    const file = join(this.dir, `block-${++this.count}.sh`);
    await writeFile(file, script);
    const start = this.output.length;
    this.bash.stdin.write(`source '${file}' </dev/null 2>&1; echo '${DONE}'\n`);
    const deadline = Date.now() + BLOCK_TIMEOUT_MS;
    while (!this.output.includes(DONE, start)) {
      if (Date.now() > deadline || this.bash.exitCode !== null) {
        throw new Error(`block did not finish within ${BLOCK_TIMEOUT_MS} ms:\n${script}\n--- output:\n${this.output.slice(start)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.output.slice(start, this.output.indexOf(DONE, start));
  }

  close(): void {
    this.bash.stdin.end();
    this.bash.kill();
  }
}

let dir = '';
let data = '';
let port = 0;
let server: Server | undefined;
let shell: Shell | undefined;
let blocks: Block[] = [];

beforeAll(async () => {
  blocks = walkthroughBlocks(await readFile(join(ROOT, 'README.md'), 'utf8'));
  dir = await mkdtemp(join(tmpdir(), 'drydock-readme-'));
  data = join(dir, '.data');
  await mkdir(data);
  port = await closedPort();
});

afterAll(async () => {
  shell?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** README text as it applies here: the test's port and data folder. */
const local = (text: string) => text.replaceAll(README_PORT, `http://127.0.0.1:${port}`).replaceAll('.data/', `${data}/`);

/** Runs every block in a new operator shell; the server restarts where the README says. */
async function walkThrough(): Promise<void> {
  // The operator's shell: none of the service's settings, mktemp under this test's folder.
  shell?.close();
  shell = new Shell(dir, { ...serverEnv({}), TMPDIR: dir, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` });
  for (const block of blocks) {
    if (block.kind === 'server') {
      await server?.stop();
      const vars = Object.fromEntries(Object.entries(block.vars).map(([k, v]) => [k, local(v)]));
      server = await startServer(NODE_ENTRY, {
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: `file:${join(data, 'drydock.db')}`,
        ADMIN_TOKEN_FILE: join(data, 'admin-token'),
        FAKE_LAB_STEP_MS: '0',
        TASK_POLL_INTERVAL_SECONDS: '1',
        LOG_LEVEL: 'warn',
        ...vars,
      });
      continue;
    }
    const output = await shell.run(local(block.script));
    let rest = output;
    for (const promise of block.promises) {
      const found = promisePattern(promise).exec(rest);
      if (!found) {
        throw new Error(`README promises "${promise}" but the block printed:\n${output}\n--- block:\n${block.script}\n--- server:\n${server?.output()}`);
      }
      rest = rest.slice(found.index + found[0].length);
    }
  }
}

describe('README walkthrough', { timeout: 120_000 }, () => {
  it('runs as written against a started server and prints what it promises', async () => {
    expect(blocks.filter((b) => b.kind === 'server').length).toBeGreaterThanOrEqual(2);
    expect(blocks.flatMap((b) => (b.kind === 'shell' ? b.promises : [])).length).toBeGreaterThanOrEqual(10);
    const rootBefore = await readdir(ROOT);
    await walkThrough();
    // Downloads went to mktemp's folder, nothing into the checkout.
    expect(await readdir(ROOT)).toEqual(rootBefore);
  });

  it('runs again as written on the same data, as an operator repeating it would', async () => {
    await walkThrough();
  });
});
