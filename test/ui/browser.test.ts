import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSite } from '../../bench/site-generator.ts';
import { startTokenServer } from '../helpers/e2e-api.ts';
import { findProgram, hasSiteTools } from '../helpers/site-tools.ts';
import { NODE_ENTRY, ROOT, type Server } from '../helpers/spawn.ts';

// The web view in Debian's headless Chromium against `tsx src/node.ts` with
// the fake lab: sign in, upload a design, start a deploy from the form and
// watch its tree reach `complete` without reloading the page. Screenshots go
// to test-output/ui/ (git-ignored).

const OUTPUT = join(ROOT, 'test-output/ui');
const site = generateSite(2);
const WAIT_MS = 90_000;

let dir: string;
let server: Server | undefined;
let token = '';
let browser: Browser | undefined;

describe.skipIf(!hasSiteTools('browser'))('the web view in headless Chromium', { timeout: 3 * WAIT_MS }, () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-ui-browser-'));
    await mkdir(OUTPUT, { recursive: true });
    ({ server, token } = await startTokenServer(NODE_ENTRY, dir, {
      FAKE_LAB_STEP_MS: '150',
      FAKE_LAB_DISK_DIR: join(dir, 'lab'),
      TASK_POLL_INTERVAL_SECONDS: '1',
      BOOTACTION_FINAL_STATUS_TIMEOUT: '30',
      LOG_LEVEL: 'warn',
    }));
    browser = await chromium.launch({ executablePath: findProgram('chromium')!, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts a task from the tasks page's form; answers its page, opened by the redirect. */
  async function startTask(page: Page, action: string, ref: string): Promise<void> {
    await page.goto(`${server!.url}/ui/tasks`);
    await page.selectOption('select[name=action]', action);
    await page.fill('input[name=design_ref]', ref);
    await Promise.all([page.waitForURL(/\/ui\/tasks\/[0-9a-f-]{36}$/), page.click('form[action="/ui/tasks"] button')]);
  }

  const rootStatus = (page: Page) => page.locator('#task-tree > li > .task-head .status').first();

  it('signs in, uploads a design, deploys it and watches the tree reach complete live', async () => {
    const page = await browser!.newPage({ viewport: { width: 1100, height: 760 } });
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });

    await page.goto(`${server!.url}/ui/tasks`);
    expect(new URL(page.url()).pathname).toBe('/ui/login');
    await page.fill('input[name=token]', token);
    await Promise.all([page.waitForURL(/\/ui\/tasks$/), page.click('form[action="/ui/login"] button')]);
    // The stylesheet applied: the CSP let /ui/static/app.css in.
    expect(await page.locator('header').evaluate((el) => getComputedStyle(el).display)).toBe('flex');

    await page.goto(`${server!.url}/ui/designs`);
    await page.setInputFiles('input[name=file]', { name: 'site.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from(site.yaml) });
    await page.click('form[action="/ui/designs"] button');
    await expect.poll(() => page.locator('#validation h2').textContent()).toMatch(/design:\/\/\S+: valid/);
    const ref = /design:\/\/[0-9a-f-]+/.exec((await page.locator('#validation h2 .mono').textContent()) ?? '')![0];
    await page.screenshot({ path: join(OUTPUT, 'designs.png') });

    await startTask(page, 'prepare_nodes', ref);
    await page.locator('#task-tree[data-finished=true]').waitFor({ timeout: WAIT_MS });
    expect(await rootStatus(page).textContent()).toBe('complete');

    await startTask(page, 'deploy_nodes', ref);
    // A mark on this document: if the page were reloaded it would be gone.
    await page.evaluate(() => ((window as unknown as { uiMark: number }).uiMark = 1));
    expect(await rootStatus(page).textContent()).not.toBe('complete');
    await page.locator('#task-tree li li').first().waitFor({ timeout: WAIT_MS });
    await page.screenshot({ path: join(OUTPUT, 'task-running.png') });
    await page.locator('#task-tree[data-finished=true]').waitFor({ timeout: WAIT_MS });
    expect(await rootStatus(page).textContent()).toBe('complete');
    expect(await page.evaluate(() => (window as unknown as { uiMark?: number }).uiMark)).toBe(1);
    // Followed through the events stream (the session cookie authenticated the EventSource), not by re-reading.
    expect(await page.locator('#live').getAttribute('data-source')).toBe('events');
    const tree = (await page.locator('#task-tree').textContent()) ?? '';
    for (const node of site.nodeNames) expect(tree).toContain(`Boot action hello-world ran on ${node}.`);
    await page.screenshot({ path: join(OUTPUT, 'task-complete.png'), fullPage: true });
    // The README's picture (docs/ui-tasks.png is a copy of it).
    await page.setViewportSize({ width: 960, height: 600 });
    await page.screenshot({ path: join(OUTPUT, 'ui-tasks.png') });

    await page.goto(`${server!.url}/ui/nodes`);
    await page.click(`a[href="/ui/nodes/${site.nodeNames[0]}"]`);
    await expect.poll(() => page.locator('#boot-actions').textContent()).toContain('hello-world');
    // The simulated node's own report can land just after the task ends: the page shows it on a reload.
    const status = async () => {
      await page.reload();
      // The row of hello-world: the node has other actions, and rows of one deploy share their time.
      return page.locator('#boot-actions tbody tr', { hasText: 'hello-world' }).first().locator('.status').textContent();
    };
    await expect.poll(status, { timeout: 15_000 }).toBe('success');
    await page.screenshot({ path: join(OUTPUT, 'node.png'), fullPage: true });

    expect(cspViolations).toEqual([]);
    expect(await page.content()).not.toContain(token);
    await page.close();
  });
});
