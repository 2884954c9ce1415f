import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { ruleContextSource } from '../../src/drivers/platforms.ts';

// Design validation asks the node driver for its images (MAAS: one read of
// boot-resources/); a burst of validations shares one answer for a minute.

function source(bootImages: () => Promise<Record<string, string[]>>) {
  let now = 0;
  const lines: string[] = [];
  const ctx = {
    db: undefined as never,
    config: loadConfig({}),
    clock: () => new Date(now),
    fetch,
    logger: createLogger({ level: 'debug', sink: (line) => lines.push(line) }),
  };
  return { next: ruleContextSource({ bootImages }, ctx, 60_000), tick: (ms: number) => (now += ms), lines };
}

describe('the rules\' images from the node driver', () => {
  it('asks the driver once a minute', async () => {
    let asked = 0;
    const s = source(async () => (asked++, { xenial: ['ga-16.04'] }));
    expect(await s.next()).toEqual({ platforms: { images: { xenial: ['ga-16.04'] } } });
    s.tick(59_000);
    await s.next();
    expect(asked).toBe(1);
    s.tick(1_000);
    await s.next();
    expect(asked).toBe(2);
  });

  it('says why when the driver cannot list them, and asks again next time', async () => {
    let fail = true;
    const s = source(async () => {
      if (fail) throw new Error('could not connect to MAAS');
      return { jammy: ['ga-22.04'] };
    });
    expect(await s.next()).toEqual({ platforms: { images: {}, unavailable: 'could not connect to MAAS' } });
    expect(s.lines.join('\n')).toContain('could not connect to MAAS');
    fail = false;
    expect(await s.next()).toEqual({ platforms: { images: { jammy: ['ga-22.04'] } } });
  });
});
