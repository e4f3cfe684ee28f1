import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../test-support/browser.js';
import { retainedMessage } from '../test-support/district-subscriber.js';
import { startGatewayProcess, type GatewayProcess } from '../test-support/gateway-process.js';
import { startMosquitto, type MosquittoBroker } from '../test-support/mosquitto.js';

/** What an IT person sees: the page, the secured editor, and a clean stop. Node-RED on, as shipped. */
describe('web page, Node-RED editor and shutdown (real gateway)', () => {
  let district: MosquittoBroker;
  let gateway: GatewayProcess;
  let browser: LaunchedBrowser | undefined;
  let password: string;

  beforeAll(async () => {
    district = await startMosquitto();
    gateway = await startGatewayProcess({ settings: { nodeRed: { enabled: true }, district: { url: district.url } } });
    password = /Admin password\s+(\S+)/.exec(gateway.output())?.[1] ?? '';
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.kill('SIGKILL');
    await district?.dispose();
  });

  it('prints the first admin password once, in the start-up banner', () => {
    expect(password).toMatch(/^[a-z0-9-]{12,}$/);
    expect(gateway.output()).toContain('Node-RED editor');
  });

  it('serves a JSON health endpoint', async () => {
    const response = await fetch(`http://127.0.0.1:${gateway.webPort}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ checks: { uplink: { ok: true } } });
  });

  it('refuses the Node-RED editor API without a token and accepts the admin password', async () => {
    const admin = `http://127.0.0.1:${gateway.webPort}/admin`;
    expect((await fetch(`${admin}/flows`)).status).toBe(401);
    const token = await fetch(`${admin}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password }),
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    expect((await fetch(`${admin}/flows`, { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(200);
  });

  it('shows the gateway on its page in headless Chromium, with actions after login', async () => {
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.goto(`http://127.0.0.1:${gateway.webPort}/`);
    await page.getByText('scanner-1').first().waitFor();
    await page.getByText(/connected/i).first().waitFor();
    await page.getByLabel('Admin password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Restart gateway' }).waitFor();
    // The teacher's scan button: the simulated scanner feeds the example class, the page shows the results arriving.
    await page.getByRole('button', { name: 'Scan scanner-1' }).click();
    await page.getByText('scan/page').first().waitFor({ timeout: 20_000 });
    await page.getByText('class-report/1').first().waitFor({ timeout: 60_000 });
    // The teacher's files: the class's printout and a student's wrong-question book, behind the login.
    await page.getByRole('link', { name: 'Wrong questions s01' }).waitFor({ timeout: 10_000 });
    const book = await browser.context.request.get(`http://127.0.0.1:${gateway.webPort}${await page.getByRole('link', { name: 'Wrong questions s01' }).getAttribute('href')}`);
    expect(book.status()).toBe(200);
    expect((await book.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const print = await browser.context.request.get(`http://127.0.0.1:${gateway.webPort}/api/downloads/print?assignment=fractions-week3`);
    expect(print.headers()['content-type']).toBe('application/pdf');
    expect((await fetch(`http://127.0.0.1:${gateway.webPort}/api/downloads/print?assignment=fractions-week3`)).status).toBe(401);
    // The simulated pen hub's class writing its homework: counts for all, each student after login.
    await page.getByText(/40 pens connected \(40 ready\)/).waitFor({ timeout: 30_000 });
    await page.locator('#pen-students').getByRole('rowheader', { name: 's01' }).waitFor({ timeout: 30_000 });
    const shot = join(mkdtempSync(join(tmpdir(), 'page-')), 'gateway.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });

  it('stops within 5 s on SIGTERM and leaves a retained offline at the district', async () => {
    const started = Date.now();
    const code = await gateway.kill('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    const availability = await retainedMessage(district.url, `${gateway.baseTopic}/availability`);
    expect(JSON.parse(availability?.payload.toString() ?? '{}')).toMatchObject({ state: 'offline' });
  });
});
