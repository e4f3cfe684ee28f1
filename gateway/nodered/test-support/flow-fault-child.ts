// Child process for flow-faults.test.ts: process-level faults cannot be provoked inside a vitest
// worker, whose own handlers would report them as test failures. Usage:
//   node --import tsx flow-fault-child.ts <userDir> <flow-faults|gateway-fault>
// Prints one JSON line {errors} on stdout and exits 0 once the flow faults have been counted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import express from 'express';
import { silentLogger } from '../../log/logger.js';
import { projectRoot } from '../../util/project-root.js';
import { startNodeRed } from '../node-red.js';

const [userDir, mode] = process.argv.slice(2);
if (!userDir || (mode !== 'flow-faults' && mode !== 'gateway-fault')) throw new Error('usage: flow-fault-child.ts <userDir> <flow-faults|gateway-fault>');

// Both escapes Node-RED 4.1 does not catch: an unawaited rejection and a throw in a callback
// run by something other than the sandbox's own timers.
const escapes = [
  "Promise.reject(new Error('unawaited rejection in a flow'));",
  "util.callbackify(async () => 1)(() => { throw new Error('thrown from a callback in a flow'); });",
  'return null;',
].join('\n');

const app = express();
const server = http.createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const red = await startNodeRed({
  server,
  app,
  path: '/admin',
  userDir,
  adminPasswordHash: await bcrypt.hash('unused', 4),
  credentialSecret: 'child-secret',
  defaultFlowsFile: join(projectRoot(), 'flows', 'default-flows.json'),
  logger: silentLogger(),
});

if (mode === 'gateway-fault') {
  // A bug in the gateway itself (no function-node frame) must still end the process.
  setTimeout(() => {
    throw new Error('a gateway bug outside any flow');
  }, 50);
} else {
  // Deployed through the admin API, as the editor does.
  const flows = [
    { id: 'f100000000000001', type: 'tab', label: 'faults' },
    { id: 'f100000000000002', type: 'inject', z: 'f100000000000001', once: true, onceDelay: 0.1, repeat: '', props: [{ p: 'payload' }], payload: '', payloadType: 'date', wires: [['f100000000000003']] },
    { id: 'f100000000000003', type: 'function', z: 'f100000000000001', name: 'escapes', func: escapes, outputs: 1, wires: [[]] },
  ];
  const { port } = server.address() as AddressInfo;
  const tokenRes = await fetch(`http://127.0.0.1:${port}/admin/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: 'unused' }),
  });
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const deployed = await fetch(`http://127.0.0.1:${port}/admin/flows`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json', 'node-red-api-version': 'v1' },
    body: JSON.stringify(flows),
  });
  if (deployed.status !== 204) throw new Error(`deploy failed: HTTP ${deployed.status}`);
  const end = Date.now() + 10_000;
  while (red.errors() < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  // Give a late fault the chance to kill the process before declaring survival.
  await new Promise((r) => setTimeout(r, 200));
  process.stdout.write(JSON.stringify({ errors: red.errors() }) + '\n');
  await red.stop();
  // Node-RED's editor token expiry timer (12 h, never cleared by stop) would keep us alive.
  process.exit(0);
}
