import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log/logger.js';
import { launchBrowser, type LaunchedBrowser } from '../../test-support/browser.js';
import { createWebServer, type WebServer } from '../../web/server.js';
import { sampleSnapshot } from '../../web/test-support/snapshot.js';
import { MirrorScreen } from './mirror-screen.js';
import { liveMessage } from './test-support.js';

// Kept after the run (and overwritten by the next) so a person can look at them.
const SHOTS = join(tmpdir(), 'gw-mirror-screen-shots');
let web: WebServer;
let screen: MirrorScreen;
let port: number;
let browser: LaunchedBrowser;

const newScreen = () => {
  const s = new MirrorScreen({ stations: ['camera-1', 'camera-2'], logger: silentLogger() });
  s.attach(web.server);
  return s;
};

beforeAll(async () => {
  // The gateway's own web server: its static files and its CSP, as a kiosk gets them.
  web = createWebServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), adminPasswordHash: '-', status: async () => sampleSnapshot(), actions: {} });
  screen = newScreen();
  port = (await web.listen()).port;
  browser = await launchBrowser();
  await mkdir(SHOTS, { recursive: true });
});

afterAll(async () => {
  screen?.close();
  await browser?.close();
  await web?.close();
});

async function open(query: string, viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  const problems: string[] = [];
  page.on('console', (m) => {
    // A refused WebSocket while the gateway is away is logged by Chromium; the page retries.
    if (m.type() === 'error' && !m.text().includes('WebSocket connection')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`http://127.0.0.1:${port}/mirror/${query}`);
  return { page, problems };
}

interface Pixels {
  width: number;
  height: number;
  /** Pixels drawn at all, and those drawn bright. */
  painted: number;
  lit: number;
  /** Bright pixels in the left tone (the person's left) and the right tone, per half of the canvas. */
  leftToneOnLeftHalf: number;
  leftToneOnRightHalf: number;
  rightToneOnLeftHalf: number;
  rightToneOnRightHalf: number;
  cornerAlpha: number;
  /** Alpha at the person's left shoulder, where the page should have put it. */
  leftShoulderAlpha: number;
}

// A string, not a function: the repo's tsconfig has no DOM types. The expected shoulder spot
// restates the page's rule: the 4:3 picture letterboxed into the canvas, mirrored.
const readPixels = ([sx, sy]: [number, number, number]) => `(() => {
  const c = document.getElementById('skeleton');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const r = { width: c.width, height: c.height, painted: 0, lit: 0, leftToneOnLeftHalf: 0, leftToneOnRightHalf: 0, rightToneOnLeftHalf: 0, rightToneOnRightHalf: 0, cornerAlpha: d[3] };
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 0) r.painted++;
    if (d[i + 3] < 200 || Math.max(d[i], d[i + 1], d[i + 2]) < 150) continue;
    r.lit++;
    const half = (i / 4) % c.width < c.width / 2 ? 'LeftHalf' : 'RightHalf';
    if (d[i + 2] > d[i] + 80) r['leftToneOn' + half]++;
    else if (d[i] > d[i + 1] + 80) r['rightToneOn' + half]++;
  }
  const w = Math.min(c.width, c.height * 4 / 3), h = w * 3 / 4;
  const x = Math.round((c.width - w) / 2 + (1 - ${sx}) * w), y = Math.round((c.height - h) / 2 + ${sy} * h);
  r.leftShoulderAlpha = d[(y * c.width + x) * 4 + 3];
  return r;
})()`;

const pixels = (page: Page, shoulder = liveMessage().pose!.keypoints[5]) => page.evaluate(readPixels(shoulder)) as Promise<Pixels>;
const text = (page: Page, selector: string) => page.locator(selector).textContent();

async function shoot(page: Page, name: string): Promise<void> {
  const path = join(SHOTS, name);
  await page.screenshot({ path });
  const png = await readFile(path);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  console.log(`mirror screenshot: ${path}`);
}

describe('the mirror page in headless Chromium', () => {
  it('shows the skeleton (mirrored), the count, the feedback and the check-ins, landscape and portrait', async () => {
    const { page, problems } = await open('?station=camera-1', { width: 1920, height: 1080 });
    await expect.poll(() => text(page, '#notice-title')).toBe('Waiting for the mirror…');
    screen.push(liveMessage({ reps: 2, lastRep: { index: 2, score: 91, feedback: [] } }));
    await expect.poll(() => text(page, '#feedback')).toBe('Great form!');
    screen.push(liveMessage());

    await expect.poll(() => text(page, '#count')).toBe('3 / 10');
    expect(await page.locator('#feedback').textContent()).toBe('Go lower');
    expect(await text(page, '#score')).toBe('72');
    expect(await text(page, '#exercise')).toBe('Squats');
    expect(await text(page, '#student')).toBe('Mia Chen');
    expect(await page.locator('#checkins li').allTextContents()).toEqual(['Mia Chen3', 'Leo Park24']);
    expect(await page.locator('#notice').isVisible()).toBe(false);

    await expect.poll(async () => (await pixels(page)).leftShoulderAlpha).toBeGreaterThan(200);
    const p = await pixels(page);
    expect(p.width).toBe(1920 - Math.round(1920 * 0.25));
    expect(p.cornerAlpha).toBe(0);
    expect(p.lit).toBeGreaterThan(5_000);
    // A mirror: the person's left (their left tone) is drawn on the screen's left.
    expect(p.leftToneOnLeftHalf).toBeGreaterThan(10 * p.leftToneOnRightHalf);
    expect(p.rightToneOnRightHalf).toBeGreaterThan(10 * p.rightToneOnLeftHalf);
    await shoot(page, 'mirror-landscape.png');

    await page.setViewportSize({ width: 1080, height: 1920 });
    await expect.poll(async () => (await pixels(page)).height).toBeGreaterThan(1080);
    await expect.poll(async () => (await pixels(page)).leftShoulderAlpha).toBeGreaterThan(200);
    const overflow = await page.evaluate(`[document.documentElement.scrollWidth - innerWidth, document.documentElement.scrollHeight - innerHeight]`);
    expect(overflow).toEqual([0, 0]);
    await shoot(page, 'mirror-portrait.png');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('asks the student to check in while nobody is there, and says when the camera is off', async () => {
    const { page, problems } = await open('', { width: 1920, height: 1080 });
    screen.push(liveMessage({ state: 'waiting', message: 'Show your QR card to check in', student: null, exercise: null, reps: 0, lastRep: null, pose: null }));
    await expect.poll(() => text(page, '#message')).toBe('Show your QR card to check in');
    expect(await page.locator('#message').isVisible()).toBe(true);
    await shoot(page, 'mirror-waiting.png');

    screen.push(liveMessage());
    await expect.poll(async () => (await pixels(page)).lit).toBeGreaterThan(5_000);
    screen.push(liveMessage({ state: 'camera-off', message: null, pose: null }));
    await expect.poll(() => text(page, '#notice-title')).toBe('Camera off');
    expect(await page.locator('#notice').isVisible()).toBe(true);
    await expect.poll(async () => (await pixels(page)).painted).toBe(0);
    await shoot(page, 'mirror-camera-off.png');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('names the stations when the kiosk asks for one that does not exist', async () => {
    const { page, problems } = await open('?station=hallway', { width: 1280, height: 720 });
    await expect.poll(() => text(page, '#notice-title')).toBe('No mirror called “hallway” on this box');
    expect(await text(page, '#notice-detail')).toBe('Try ?station=camera-1 or ?station=camera-2');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows "connecting…" while the gateway is away, and recovers when it is back', async () => {
    screen.push(liveMessage());
    const { page, problems } = await open('?station=camera-1', { width: 1920, height: 1080 });
    await expect.poll(() => text(page, '#count')).toBe('3 / 10');

    screen.close();
    await expect.poll(() => text(page, '#notice-title')).toBe('Connecting…');
    expect(await page.locator('#notice').isVisible()).toBe(true);
    await expect.poll(async () => (await pixels(page)).painted).toBe(0);
    await shoot(page, 'mirror-connecting.png');

    screen = newScreen();
    screen.push(liveMessage({ reps: 4, lastRep: { index: 4, score: 88, feedback: ['Nice and deep'] } }));
    await expect.poll(() => text(page, '#count'), { timeout: 20_000 }).toBe('4 / 10');
    expect(await page.locator('#notice').isVisible()).toBe(false);
    expect(await text(page, '#feedback')).toBe('Nice and deep');
    expect(problems).toEqual([]);
    await page.close();
  });
});
