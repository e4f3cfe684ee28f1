import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { launchBrowser, type LaunchedBrowser } from '../test-support/browser.js';
import { createWebServer, type WebServer } from './server.js';
import type { StatusSnapshot } from './status-types.js';
import { sampleSnapshot } from './test-support/snapshot.js';

const PASSWORD = 'teacher-admin-pw';
// The browser resolves this name to 127.0.0.1, so the page is seen as a LAN visitor sees it.
const LAN_NAME = 'gw-r12.school.test';
let web: WebServer;
let port: number;
let browser: LaunchedBrowser;
let shots: string;
let current: StatusSnapshot = sampleSnapshot();
const restart = vi.fn(async () => 'restarting');
const device = vi.fn(async (_args: unknown) => undefined);

beforeAll(async () => {
  web = createWebServer({
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
    adminPasswordHash: await bcrypt.hash(PASSWORD, 4),
    status: async () => current,
    actions: { restart, device },
  });
  port = (await web.listen()).port;
  browser = await launchBrowser({ extraArgs: [`--host-resolver-rules=MAP ${LAN_NAME} 127.0.0.1`] });
  shots = await mkdtemp(join(tmpdir(), 'gw-page-shots-'));
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await rm(shots, { recursive: true, force: true });
});

/** Opens the page and records what the browser complains about (CSP violations, script errors). */
async function open(host: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  const problems: string[] = [];
  page.on('console', (m) => {
    // Chromium logs every 4xx fetch; the wrong-password attempt's 401 is expected.
    if (m.type() === 'error' && !m.text().includes('status of 401')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`http://${host}:${port}/`);
  return { page, problems };
}

describe('gateway page in headless Chromium', () => {
  it('renders the status, logs in, and runs gateway and device actions', async () => {
    const { page, problems } = await open('127.0.0.1');
    await expect.poll(() => page.locator('#devices tbody').textContent()).toContain('scanner-1');
    expect(await page.locator('#uplink-state').textContent()).toBe('connected');
    expect(await page.locator('#messages tbody').textContent()).toContain('classroom/north/lincoln-elementary/r12/result');
    expect(await page.locator('#alarms').textContent()).toContain('Pen 07 battery low');
    expect(await page.getByRole('button', { name: 'Restart gateway' }).count()).toBe(0);

    await page.getByLabel('Admin password').fill('not it');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.locator('#admin-message').textContent()).toBe('Wrong password.');

    await page.getByLabel('Admin password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    const restartButton = page.getByRole('button', { name: 'Restart gateway' });
    await restartButton.waitFor();
    // 'device' is the carrier of device actions, not a gateway button of its own.
    expect(await page.locator('#gateway-actions button').allTextContents()).toEqual(['Restart gateway']);

    page.once('dialog', (d) => void d.accept());
    await restartButton.click();
    await expect.poll(() => page.locator('#admin-message').textContent()).toBe('Restart gateway: done (restarting).');
    expect(restart).toHaveBeenCalledOnce();

    await page.getByRole('button', { name: 'Calibrate scanner-1' }).click();
    await expect.poll(() => device.mock.calls.length).toBe(1);
    expect(device).toHaveBeenCalledWith({ deviceId: 'scanner-1', action: 'calibrate' });

    const shot = join(shots, 'gateway-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = await readFile(shot);
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('on a phone on the LAN: follows the gateway by polling, fits the screen, links reach the box', async () => {
    current = sampleSnapshot({ links: { editor: `http://127.0.0.1:${port}/admin/`, mqttWebSocket: null } });
    const { page, problems } = await open(LAN_NAME, { width: 390, height: 844 });
    await expect.poll(() => page.locator('#uplink-state').textContent()).toBe('connected');
    expect(await page.getByRole('link', { name: /flow editor/ }).getAttribute('href')).toBe(`http://${LAN_NAME}:${port}/admin/`);
    current = { ...current, uplink: { ...current.uplink, state: 'disconnected', lastError: 'ECONNREFUSED' } };
    await expect.poll(() => page.locator('#uplink-state').textContent(), { timeout: 5_000 }).toBe('disconnected');
    expect(await page.locator('#uplink-detail').textContent()).toContain('ECONNREFUSED');
    // No sideways scrolling, of the page or inside a card: the tables stack into cards on a phone.
    const overflow = await page.evaluate(`Math.max(document.documentElement.scrollWidth - window.innerWidth,
      ...[...document.querySelectorAll('.scroll')].map((e) => e.scrollWidth - e.clientWidth))`);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
