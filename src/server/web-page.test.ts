import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plumb } from '../plumb.ts';
import { SAMPLE_DOCS, tempPlumb } from '../testing/temp-plumb.ts';
import { startServer, type RunningServer } from './start-server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
// CI installs Chromium (.ci/run); elsewhere a missing browser is reported, not hidden.
if (!hasChromium) {
  if (process.env.CI) throw new Error(`the browser test needs Chromium at ${CHROMIUM} (apt-get install chromium)`);
  process.stderr.write(`web-page.test.ts: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`);
}

describe.skipIf(!hasChromium)('the web page in a real browser', () => {
  let plumb: Plumb;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    ({ plumb } = await tempPlumb({ embeddings: { provider: 'none' } }));
    await plumb.addDocuments(SAMPLE_DOCS);
    server = await startServer(plumb, { port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await plumb?.close();
  });

  it('asks a question, streams the answer and shows the cited passage on click', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.fill('#q', 'How are API keys stored?');
    await page.click('#go');
    await page.waitForSelector('.source', { timeout: 10_000 });
    expect(await page.textContent('#answer')).toContain('SHA-256');
    expect(await page.textContent('#meta')).toMatch(/extractive-v1 · bm25 retrieval/);

    await page.click('.cite');
    const active = page.locator('.source.active');
    expect(await active.count()).toBe(1);
    expect(await active.textContent()).toContain('API keys are hashed with SHA-256');
  });

  it('shows a readable error when the question is rejected', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.fill('#q', 'x'.repeat(5000));
    await page.click('#go');
    await page.waitForSelector('#answer .error', { timeout: 10_000 });
    expect(await page.textContent('#answer .error')).toContain('question');
  });
});
