// The gateway's real embedded Node-RED with the classroom palette, as gateway/controller.ts starts
// it, on a web server of its own and a fresh user directory (so the default flows are installed as
// on a box's first start). One per test file: Node-RED starts once per process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { silentLogger } from '../log/logger.js';
import type { ClassroomBridge } from '../nodered/classroom-bridge.js';
import { startNodeRed, type NodeRedHandle } from '../nodered/node-red.js';
import { projectRoot } from '../util/project-root.js';
import { createWebServer } from '../web/server.js';
import { sampleSnapshot } from '../web/test-support/snapshot.js';

export const DEFAULT_FLOWS_FILE = join(projectRoot(), 'flows', 'default-flows.json');
const PASSWORD = 'palette test password';

export interface PaletteNodeRed {
  red: NodeRedHandle;
  /** http://127.0.0.1:<port>; the editor and admin API are under /admin. */
  base: string;
  userDir: string;
  /** An admin API access token, as the editor gets one at login. */
  token(): Promise<string>;
  close(): Promise<void>;
}

export async function startPaletteNodeRed(bridge: ClassroomBridge): Promise<PaletteNodeRed> {
  const userDir = await mkdtemp(join(tmpdir(), 'palette-red-'));
  const adminPasswordHash = await bcrypt.hash(PASSWORD, 4);
  const web = createWebServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), adminPasswordHash, status: async () => sampleSnapshot(), actions: {} });
  const base = `http://127.0.0.1:${(await web.listen()).port}`;
  const red = await startNodeRed({
    server: web.server,
    app: web.app,
    path: '/admin',
    userDir,
    adminPasswordHash,
    credentialSecret: 'secret',
    defaultFlowsFile: DEFAULT_FLOWS_FILE,
    // As gateway/controller.ts passes them.
    nodesDir: [join(projectRoot(), 'flows', 'palette')],
    bridge,
    logger: silentLogger(),
  });
  return {
    red,
    base,
    userDir,
    async token() {
      const res = await fetch(`${base}/admin/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: PASSWORD }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async close() {
      await red.stop();
      await web.close();
      await rm(userDir, { recursive: true, force: true });
    },
  };
}
