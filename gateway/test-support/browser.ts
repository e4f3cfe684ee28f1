import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export interface LaunchedBrowser {
  context: BrowserContext;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/** Debian's chromium: playwright-core downloads no browser, and the box's CI has none other. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless Chromium for tests, with a throwaway profile so parallel test runs never share state.
 * Playwright requires the profile via launchPersistentContext rather than --user-data-dir.
 * The flags keep it from reaching the network on its own (the machine is offline) and from
 * needing a GPU or a sandbox it cannot get in containers. `extraArgs` serve tests that need more,
 * e.g. --host-resolver-rules to give the local server a LAN-like name.
 */
export async function launchBrowser(options: { extraArgs?: string[] } = {}): Promise<LaunchedBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'gw-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        ...(options.extraArgs ?? []),
      ],
    });
    return {
      context,
      close: async () => {
        try {
          await context.close();
        } finally {
          await rm(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
}
