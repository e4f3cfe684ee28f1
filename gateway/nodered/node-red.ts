import { constants } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import type http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type express from 'express';
import type { Logger } from '../log/logger.js';
import type { ClassroomBridge } from './classroom-bridge.js';
import { withFlowBackups, type FlowStorage } from './flow-backup.js';
import { installFlowFaultGuard } from './flow-faults.js';
import { nodeRedLogHandler } from './log-bridge.js';

export interface NodeRedOptions {
  server: http.Server;
  app: express.Express;
  /** Where the editor and its admin API live, e.g. '/admin'. */
  path: string;
  userDir: string;
  /** bcrypt hash of the admin password (the same one as the gateway page). */
  adminPasswordHash: string;
  /** Per-device secret that encrypts flows_cred.json. */
  credentialSecret: string;
  /** Copied to <userDir>/flows.json when there is none yet. */
  defaultFlowsFile: string;
  /** Extra folders Node-RED scans for nodes (the classroom palette). */
  nodesDir?: string[];
  logger: Logger;
  /** Exposed to function nodes as global.get(key). */
  globalContext?: Record<string, unknown>;
  /** What the classroom palette's nodes use of the gateway, as RED.settings.classroomGateway. */
  bridge?: ClassroomBridge;
}

export interface NodeRedHandle {
  /** Editor URL path, ending in '/' (Node-RED's page uses relative URLs). */
  editorPath: string;
  /** Where http-in nodes of flows are served. */
  httpNodePath: string;
  /** Node-RED errors so far: error/fatal log lines plus faults escaping function nodes. */
  errors(): number;
  stop(): Promise<void>;
}

/** The parts of node-red's (untyped, CommonJS) embedding API used here. */
interface NodeRedApi {
  init(server: http.Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly httpAdmin: express.RequestHandler;
  readonly httpNode: express.RequestHandler;
  readonly version: string;
}

export const HTTP_NODE_PATH = '/flows-api';
const BACKUPS_KEPT = 10;
const EDITOR_SESSION_SECONDS = 12 * 60 * 60;

// Node-RED keeps its runtime in module state: one start per process, no restart after stop.
let started = false;

/**
 * Embeds Node-RED into the gateway's HTTP server: editor and admin API at `path` behind the
 * admin password, flows' http endpoints at /flows-api, logs into our logger, timestamped flow
 * backups on every deploy, and function-node faults contained and counted.
 */
export async function startNodeRed(options: NodeRedOptions): Promise<NodeRedHandle> {
  if (started) throw new Error('Node-RED was already started in this process; it cannot be started twice');
  started = true;
  const { server, app, userDir, logger } = options;
  const path = '/' + options.path.replace(/^\/+|\/+$/g, '');
  const log = logger.child({ component: 'node-red' });
  const flowsFile = join(userDir, 'flows.json');

  await mkdir(userDir, { recursive: true });
  await installDefaultFlows(options.defaultFlowsFile, flowsFile, log);

  let errors = 0;
  const countError = () => {
    errors++;
  };
  const uninstallGuard = installFlowFaultGuard(log, countError);

  // Resolved from node-red itself so the storage module is the same instance its runtime uses.
  const requireFromNodeRed = createRequire(createRequire(import.meta.url).resolve('node-red'));
  const RED = requireFromNodeRed('node-red') as NodeRedApi;
  const localfilesystem = requireFromNodeRed('@node-red/runtime/lib/storage/localfilesystem') as FlowStorage;

  const settings: Record<string, unknown> = {
    userDir,
    // Absolute: a relative flowFile is first looked up in the process's cwd.
    flowFile: flowsFile,
    flowFilePretty: true,
    credentialSecret: options.credentialSecret,
    httpAdminRoot: path,
    httpNodeRoot: HTTP_NODE_PATH,
    disableEditor: false,
    adminAuth: {
      type: 'credentials',
      users: [{ username: 'admin', password: options.adminPasswordHash, permissions: '*' }],
      sessionExpiryTime: EDITOR_SESSION_SECONDS,
    },
    editorTheme: {
      page: { title: 'Classroom gateway · flows' },
      header: { title: 'Classroom gateway' },
      projects: { enabled: false },
      tours: false,
    },
    // The box is offline and carries student data: no phoning home, no installs from npm.
    telemetry: { enabled: false, updateNotification: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
    logging: { gateway: { level: nodeRedLevel(log.level), metrics: false, audit: false, handler: () => nodeRedLogHandler(log, countError) } },
    functionGlobalContext: options.globalContext ?? {},
    storageModule: withFlowBackups(localfilesystem, {
      flowsFile,
      backupDir: join(userDir, 'flow-backups'),
      keep: BACKUPS_KEPT,
      logger: log,
    }),
    ...(options.nodesDir ? { nodesDir: options.nodesDir } : {}),
    ...(options.bridge ? { classroomGateway: options.bridge } : {}),
  };

  const t0 = performance.now();
  try {
    RED.init(server, settings);
    app.use(path, RED.httpAdmin);
    app.use(HTTP_NODE_PATH, RED.httpNode);
    await RED.start();
  } catch (err) {
    uninstallGuard();
    throw err;
  }
  log.info({ version: RED.version, startMs: Math.round(performance.now() - t0), editor: `${path}/` }, 'Node-RED started');

  return {
    editorPath: `${path}/`,
    httpNodePath: HTTP_NODE_PATH,
    errors: () => errors,
    stop: async () => {
      await RED.stop();
      uninstallGuard();
    },
  };
}

async function installDefaultFlows(defaultFlowsFile: string, flowsFile: string, log: Logger): Promise<void> {
  try {
    await copyFile(defaultFlowsFile, flowsFile, constants.COPYFILE_EXCL);
    log.info({ from: defaultFlowsFile }, 'first start: installed the default flows');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** Node-RED must report at least errors (they are counted); below that our logger filters. */
function nodeRedLevel(pinoLevel: string): string {
  return ['warn', 'info', 'debug', 'trace'].includes(pinoLevel) ? pinoLevel : 'error';
}
