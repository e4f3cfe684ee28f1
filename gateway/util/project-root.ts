import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json. Code runs both from sources (tsx, vitest) and from
 * dist/, so assets (web pages, default flows) are found from here, not from __dirname.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('project root (package.json) not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}
