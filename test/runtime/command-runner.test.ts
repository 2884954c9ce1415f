import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCommandRunner } from '../../src/runtime/command-runner.ts';

// The runner the ipmi and libvirt drivers run their tools through, with real
// child processes (sh is on every machine these tests run on).

const runner = createCommandRunner();

describe('command runner', () => {
  it('hands a secret to the tool through its environment, not its arguments', async () => {
    const res = await runner.run('sh', ['-c', 'printf %s "$TOOL_SECRET"; printf err >&2; exit 3'], {
      env: { TOOL_SECRET: 's3cret' },
      timeoutMs: 5000,
    });
    expect(res).toEqual({ code: 3, stdout: 's3cret', stderr: 'err', timedOut: false, missing: false });
  });

  it('passes the tool none of the service settings, only what finding programs and keys needs', async () => {
    process.env.DESIGN_ENCRYPTION_KEY_FOR_TEST = 'service-secret';
    try {
      const res = await runner.run('sh', ['-c', 'env'], { timeoutMs: 5000, env: { IPMI_PASSWORD: 'given' } });
      const names = res.stdout.split('\n').filter(Boolean).map((l) => l.slice(0, l.indexOf('=')));
      expect(res.stdout).not.toContain('service-secret');
      expect(names).toContain('PATH');
      expect(names).toContain('IPMI_PASSWORD');
      expect(names.filter((n) => !['PATH', 'HOME', 'USER', 'LOGNAME', 'TMPDIR', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'SSH_AUTH_SOCK', 'LC_ALL', 'IPMI_PASSWORD', 'PWD', 'SHLVL', '_'].includes(n))).toEqual([]);
    } finally {
      delete process.env.DESIGN_ENCRYPTION_KEY_FOR_TEST;
    }
  });

  it('answers in the C locale, so the drivers read English words', async () => {
    const res = await runner.run('sh', ['-c', 'printf %s "$LC_ALL"'], { timeoutMs: 5000 });
    expect(res.stdout).toBe('C');
  });

  it('writes the input to the tool and closes it', async () => {
    const res = await runner.run('cat', [], { timeoutMs: 5000, input: 'domstate x\n' });
    expect(res).toMatchObject({ code: 0, stdout: 'domstate x\n' });
  });

  it('kills a tool that outlives the timeout and says so', async () => {
    const started = Date.now();
    const res = await runner.run('sleep', ['10'], { timeoutMs: 200 });
    expect(res).toMatchObject({ code: null, timedOut: true, missing: false });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says when the program is not installed', async () => {
    const res = await runner.run('no-such-tool-drydock', ['x'], { timeoutMs: 5000 });
    expect(res).toMatchObject({ code: null, timedOut: false, missing: true });
    expect(await runner.which('no-such-tool-drydock')).toBeNull();
  });

  it('finds a program on PATH, or by its path', async () => {
    expect(await runner.which('sh')).toMatch(/\/sh$/);
    expect(await runner.which('/bin/sh')).toBe('/bin/sh');
    const dir = await mkdtemp(join(tmpdir(), 'which-'));
    await writeFile(join(dir, 'not-a-program'), 'text', { mode: 0o644 });
    expect(await runner.which(join(dir, 'not-a-program'))).toBeNull();
    await rm(dir, { recursive: true });
  });
});
