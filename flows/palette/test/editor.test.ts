// What school IT sees: the real gateway (Node-RED on, as shipped) in headless Chromium. Log in to
// the editor; the palette's "classroom" category holds the nine nodes; a node's help opens in the
// sidebar; the default flows' four tabs are there; the nodes' dialogs are filled in. The screenshot's path is printed to look at.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../../gateway/test-support/browser.js';
import { startGatewayProcess, type GatewayProcess } from '../../../gateway/test-support/gateway-process.js';

const LABELS = ['scan', 'scanned page', 'class report', 'pen strokes', 'pen progress', 'mirror', 'device status', 'health', 'to district'];

describe('the classroom palette in the editor (real gateway, headless Chromium)', () => {
  let gateway: GatewayProcess;
  let browser: LaunchedBrowser | undefined;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ settings: { nodeRed: { enabled: true } } });
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.kill('SIGKILL');
  });

  it('logs in, shows the nine classroom nodes, a node help and its dialogs, with the default flows', async () => {
    const password = /Admin password\s+(\S+)/.exec(gateway.output())?.[1] ?? '';
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`http://127.0.0.1:${gateway.webPort}/admin/`);
    await page.locator('#node-dialog-login-username').fill('admin');
    await page.locator('#node-dialog-login-password').fill(password);
    await page.locator('#node-dialog-login-submit').click();

    const classroom = page.locator('#red-ui-palette-container-classroom');
    await classroom.waitFor({ timeout: 30_000 });
    // Fold the other categories, as IT would, so the classroom one is in view.
    for (const header of await page.locator('.red-ui-palette-category:not(#red-ui-palette-container-classroom):visible .red-ui-palette-header').all()) {
      await header.click();
    }
    await classroom.scrollIntoViewIfNeeded();
    // Node-RED wraps long labels onto two lines.
    const labels = async () => (await classroom.locator('.red-ui-palette-label').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    await expect.poll(labels).toEqual(LABELS);
    for (const tab of ['Scanning', 'Smart pens', 'Magic mirror', 'Gateway']) {
      await page.locator('#red-ui-workspace-tabs').getByText(tab, { exact: true }).waitFor({ timeout: 10_000 });
    }

    // Help, as IT opens it: the sidebar's help tab, then a classroom node on the canvas.
    await page.locator('#red-ui-tab-help-link-button').click();
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-group', { hasText: 'class reports' }).locator('rect.red-ui-flow-node').click();
    const sidebar = page.locator('#red-ui-sidebar-content');
    await sidebar.getByText('Example rule', { exact: false }).first().waitFor({ timeout: 10_000 });
    expect(await sidebar.innerText()).toContain('class-report/1');
    await page.mouse.move(700, 450);

    const shot = join(mkdtempSync(join(tmpdir(), 'palette-editor-')), 'editor.png');
    await page.screenshot({ path: shot });
    console.log(`editor screenshot: ${shot}`);
    expect(statSync(shot).size).toBeGreaterThan(20_000);

    // The shared editor script fills the dialogs: the choices, and the box's scanners.
    const open = (label: string) => page.locator('#red-ui-workspace-chart .red-ui-flow-node-group', { hasText: label }).locator('rect.red-ui-flow-node').dblclick();
    await open('unrecognised pages');
    await expect.poll(() => page.locator('#node-input-pages option').count()).toBe(5);
    expect(await page.locator('#node-input-pages').inputValue()).toBe('unrecognised');
    await page.locator('#node-dialog-cancel').click();
    await open('scan scanner-1');
    await expect.poll(() => page.locator('#node-input-device option', { hasText: 'scanner-1 (simulated, ready)' }).count()).toBe(1);
    expect(await page.locator('#node-input-device').inputValue()).toBe('scanner-1');
    expect(await page.locator('#node-input-mode option').allInnerTexts()).toEqual(['scanner default', 'grey', 'colour']);
    await page.locator('#node-dialog-cancel').click();
  });
});
