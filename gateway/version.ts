import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './util/project-root.js';

/** The gateway's version, from package.json: reported in availability, health and the page. */
export const GATEWAY_VERSION: string = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
