import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentSettingsOf } from '../../src/agent/settings.ts';
import { openSpool } from '../../src/agent/spool.ts';
import { tempDir } from './harness.ts';

const BASE = { EDGE_URL: 'https://edge.example.com/', AGENT_TOKEN: 'dda_secret-value', SITE: 'east-lab' };

describe('agent settings', () => {
  it('reads EDGE_URL, AGENT_TOKEN, SITE, AGENT_SPOOL_DIR (default .data/agent-spool), AGENT_MAX_CALLS (default 4) and AGENT_INVENTORY_SECONDS (default 60)', () => {
    expect(agentSettingsOf(BASE)).toEqual({
      edgeUrl: 'https://edge.example.com',
      token: 'dda_secret-value',
      site: 'east-lab',
      spoolDir: '.data/agent-spool',
      maxCalls: 4,
      inventorySeconds: 60,
    });
    expect(agentSettingsOf({ ...BASE, AGENT_SPOOL_DIR: '/var/lib/agent' }).spoolDir).toBe('/var/lib/agent');
    expect(agentSettingsOf({ ...BASE, AGENT_MAX_CALLS: '1' }).maxCalls).toBe(1);
    expect(agentSettingsOf({ ...BASE, AGENT_MAX_CALLS: '10' }).maxCalls).toBe(10);
    expect(agentSettingsOf({ ...BASE, AGENT_INVENTORY_SECONDS: '0' }).inventorySeconds).toBe(0);
  });

  it.each([
    [{ EDGE_URL: undefined }, 'invalid configuration: EDGE_URL: is required'],
    [{ EDGE_URL: 'ftp://edge' }, 'invalid configuration: EDGE_URL: must be an absolute http(s) URL'],
    [{ EDGE_URL: 'https://user:pw@edge' }, 'invalid configuration: EDGE_URL: must not carry credentials'],
    [{ AGENT_TOKEN: '' }, 'invalid configuration: AGENT_TOKEN: is required'],
    [{ AGENT_TOKEN: 'dda_secret\r\nX-Evil: 1' }, 'invalid configuration: AGENT_TOKEN: must be printable ASCII without spaces'],
    [{ SITE: undefined }, 'invalid configuration: SITE: is required'],
    [{ AGENT_MAX_CALLS: '0' }, 'invalid configuration: AGENT_MAX_CALLS: must be a whole number from 1 to 10'],
    [{ AGENT_MAX_CALLS: '11' }, 'invalid configuration: AGENT_MAX_CALLS: must be a whole number from 1 to 10'],
    [{ AGENT_MAX_CALLS: '2.5' }, 'invalid configuration: AGENT_MAX_CALLS: must be a whole number from 1 to 10'],
    [{ AGENT_INVENTORY_SECONDS: '-1' }, 'invalid configuration: AGENT_INVENTORY_SECONDS: must be a whole number of seconds'],
    [{ AGENT_INVENTORY_SECONDS: '90000' }, 'invalid configuration: AGENT_INVENTORY_SECONDS: must be a whole number of seconds'],
  ])('refuses %j naming the setting, never echoing the token', (over, message) => {
    const err = (() => {
      try {
        agentSettingsOf({ ...BASE, ...over });
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted');
    })();
    expect(err.message.startsWith(message)).toBe(true);
    expect(err.message).not.toContain('secret');
  });
});

describe('the result spool', () => {
  let temp: ReturnType<typeof tempDir> | undefined;
  afterEach(() => temp?.remove());

  it('keeps a call id that is not a plain name inside its folder, and sets aside a file it cannot read', async () => {
    temp = tempDir();
    const spool = await openSpool(join(temp.dir, 'spool'));
    const body = { lease_id: 'l1', progress: { state: 'done' as const } };
    await spool.write({ call_id: '../../escape', body, spooled: '2026-01-01T00:00:00.000Z' });
    await spool.write({ call_id: 'ok-1', body, spooled: '2026-01-01T00:00:01.000Z' });
    writeFileSync(join(spool.dir, 'torn.json'), '{"call_id":');
    const { entries, setAside } = await spool.list();
    expect(entries.map((e) => e.call_id)).toEqual(['../../escape', 'ok-1']);
    expect(setAside).toEqual(['torn.json']);
    expect(readdirSync(temp.dir)).toEqual(['spool']);
    const names = readdirSync(spool.dir);
    expect(names).toHaveLength(3);
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^x[0-9a-f]+\.json$/), 'ok-1.json', 'torn.json.rejected']));
    await spool.remove('../../escape');
    expect((await spool.list()).entries.map((e) => e.call_id)).toEqual(['ok-1']);
    expect(JSON.parse(readFileSync(join(spool.dir, 'ok-1.json'), 'utf8'))).toEqual({ call_id: 'ok-1', body, spooled: '2026-01-01T00:00:01.000Z' });
  });
});
