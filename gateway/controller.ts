import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from './log/logger.js';
import { AlarmCenter } from './alarms/alarm-center.js';
import { createLocalBus, type LocalBus } from './bus/local-bus.js';
import { baseTopic } from './contract/topics.js';
import { ContractValidator } from './contract/validator.js';
import { DeviceRegistry } from './devices/registry.js';
import { startUsbHotplug, type UsbHotplug } from './devices/hotplug.js';
import { installedDrivers } from './drivers.js';
import { demoPageSource } from './homework/demo-pages.js';
import { loadHomeworkLibrary, type HomeworkLibrary } from './homework/library.js';
import { HomeworkScanning } from './homework/scanning.js';
import { demoMirror } from './mirror/demo/demo-mirror.js';
import { MirrorPipeline } from './mirror/mirror-pipeline.js';
import { MirrorScreen } from './mirror/screen/mirror-screen.js';
import { demoPenScripts } from './pens/demo/demo-pens.js';
import { openPaperMap } from './pens/paper/paper-setup.js';
import { PenHomework } from './pens/pen-homework.js';
import { Publisher } from './messaging/publisher.js';
import { RecentMessages } from './messaging/recent-messages.js';
import { createClassroomBridge } from './nodered/classroom-bridge.js';
import { startNodeRed, type NodeRedHandle } from './nodered/node-red.js';
import { registerOperations } from './requests/operations.js';
import { RequestRouter } from './requests/request-router.js';
import { loadSecrets, SettingsStore, type Secrets } from './settings/index.js';
import { buildStatus, healthSources } from './status.js';
import { PipelineCounters } from './telemetry/counters.js';
import { HealthReporter } from './telemetry/health-reporter.js';
import { createSystemSampler } from './telemetry/system-stats.js';
import { Outbox } from './uplink/outbox/outbox.js';
import type { OutboxPressure } from './uplink/outbox/types.js';
import { Uplink } from './uplink/uplink.js';
import { projectRoot } from './util/project-root.js';
import { GATEWAY_VERSION } from './version.js';
import { createWebServer, type WebServer } from './web/server.js';
import { webActions, webDownloads } from './web-handlers.js';

const MiB = 1024 * 1024;
const ACK_FLUSH_MS = 10_000;
/** The gateway's own client on its bus, when the uplink loops back to it. */
export const INTERNAL_BUS_USER = 'gateway-internal';

export interface GatewayOptions {
  settingsFile: string;
  logger: Logger;
  /** Asked for by the `restart` request, after the gateway has stopped. */
  onRestart?: () => void;
}

export interface GatewayAddresses {
  web: string;
  editor: string | null;
  bus: string;
  lan: string | null;
  district: string;
  loopback: boolean;
}

/**
 * Wires the gateway's parts together and owns their order: durable storage first, then the
 * buses, then whatever produces messages; stopping runs the other way round.
 */
export class Gateway {
  readonly counters = new PipelineCounters();
  readonly recent = new RecentMessages();
  readonly startedAt = new Date();
  private readonly closers: { name: string; close: () => Promise<void> | void }[] = [];
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly settings: SettingsStore,
    readonly secrets: Secrets,
    readonly base: string,
    readonly log: Logger,
  ) {}

  // Assigned during start(); a Gateway is only handed out once all are set.
  outbox!: Outbox;
  bus!: LocalBus;
  web!: WebServer;
  publisher!: Publisher;
  uplink!: Uplink;
  alarms!: AlarmCenter;
  devices!: DeviceRegistry;
  hotplug!: UsbHotplug;
  router!: RequestRouter;
  health!: HealthReporter;
  nodeRed: NodeRedHandle | null = null;
  scanning: HomeworkScanning | null = null;
  pens: PenHomework | null = null;
  mirror: MirrorPipeline | null = null;
  library: HomeworkLibrary | null = null;
  addresses!: GatewayAddresses;
  generatedAdminPassword: string | null = null;

  static async start(opts: GatewayOptions): Promise<Gateway> {
    const settings = await SettingsStore.open(opts.settingsFile, opts.logger);
    const s = settings.current;
    opts.logger.level = s.log.level;
    await mkdir(s.dataDir, { recursive: true });
    const { secrets, generatedAdminPassword } = await loadSecrets(s.dataDir, opts.logger);
    const base = baseTopic({ prefix: s.topicPrefix, school: s.school.id, classroom: s.classroom.id, gateway: s.gateway.id });
    const gateway = new Gateway(settings, secrets, base, opts.logger);
    gateway.generatedAdminPassword = generatedAdminPassword;
    try {
      await gateway.startParts(opts);
    } catch (err) {
      await gateway.closeAll();
      throw err;
    }
    return gateway;
  }

  private onClose(name: string, close: () => Promise<void> | void): void {
    this.closers.push({ name, close });
  }

  private restartHook: (() => void) | undefined;

  private async startParts(opts: GatewayOptions): Promise<void> {
    this.restartHook = opts.onRestart;
    const s = this.settings.current;
    const log = this.log;
    const validator = new ContractValidator();

    this.outbox = await Outbox.open({
      dir: join(s.dataDir, 'outbox'),
      logger: log,
      maxBytes: s.outbox.maxMegabytes * MiB,
      maxAgeMs: s.outbox.telemetryMaxAgeHours * 3_600_000,
      // Each save of the ack cursor is a file replaced and fsync'd: once a second it was most of
      // what the box wrote to its SD card. A crash then re-sends up to 10 s of acked messages,
      // which the district drops by id; nothing reported safe is lost either way.
      ackFlushMs: ACK_FLUSH_MS,
    });
    this.onClose('outbox', () => this.outbox.close());

    this.web = createWebServer({
      host: s.web.host,
      port: s.web.port,
      logger: log,
      adminPasswordHash: this.secrets.adminPasswordHash,
      status: () => buildStatus(this),
      actions: webActions(this),
      downloads: webDownloads(this),
    });
    this.onClose('web', () => this.web.close());

    this.bus = await createLocalBus({
      baseTopic: this.base,
      loopback: { host: s.bus.host, port: s.bus.port, allowAnonymous: s.bus.allowAnonymousLoopback },
      ...(s.bus.lan.enabled ? { lan: { host: s.bus.lan.host, port: s.bus.lan.port } } : {}),
      ...(s.bus.websocket.enabled ? { websocket: { server: this.web.server, path: s.bus.websocket.path } } : {}),
      users: s.bus.users,
      tokenAuth: (username, password) => (username === INTERNAL_BUS_USER && password === this.secrets.internalBusPassword ? 'gateway' : null),
      logger: log,
    });
    this.onClose('bus', () => this.bus.close());

    const loopback = s.district.url === null;
    this.publisher = new Publisher({ baseTopic: this.base, outbox: this.outbox, bus: this.bus, mirrorToBus: !loopback, validator, recent: this.recent, logger: log });
    this.alarms = new AlarmCenter((alarm) => this.publisher.publish('alarm', {}, alarm), log);
    const onPressure = (level: OutboxPressure) => {
      if (level === 'normal') this.alarms.clear('outbox-high', 'outbox back to normal');
      else this.alarms.raise('outbox-high', level === 'full' ? 'critical' : 'warning', `outbox ${level}: ${level === 'full' ? 'events refused, results use the reserve' : 'telemetry refused'}`);
    };
    this.outbox.on('pressure', onPressure);
    // open() reports no event for the level it finds on disk.
    onPressure(this.outbox.stats().pressure);

    this.router = new RequestRouter({ respond: (op, response) => this.publisher.publish('response', { op }, response) }, validator, log);
    const requestPrefix = `${this.base}/request/`;
    const unsubscribe = this.bus.subscribe(`${requestPrefix}+`, (topic, payload) => {
      this.recent.add({ at: new Date().toISOString(), topic, schema: 'request/1', bytes: payload.length, direction: 'in' });
      void this.router.handle(topic.slice(requestPrefix.length), payload, 'local');
    });
    this.onClose('requests', unsubscribe);

    const busPort = this.bus.addresses().loopback.port;
    this.uplink = new Uplink({
      url: s.district.url ?? `mqtt://127.0.0.1:${busPort}`,
      gatewayId: s.gateway.id,
      baseTopic: this.base,
      version: GATEWAY_VERSION,
      outbox: this.outbox,
      logger: log,
      protocol: loopback ? '3.1.1' : s.district.protocol,
      keepaliveSeconds: s.district.keepaliveSeconds,
      backoff: s.district.reconnect,
      ...(loopback
        ? { username: INTERNAL_BUS_USER, password: this.secrets.internalBusPassword }
        : {
            ...(s.district.username ? { username: s.district.username } : {}),
            ...(s.district.password ? { password: s.district.password } : {}),
            tls: { caFile: s.district.tls.ca, certFile: s.district.tls.cert, keyFile: s.district.tls.key, rejectUnauthorized: s.district.tls.rejectUnauthorized },
            subscribeRequests: true,
            onRequest: (op: string, payload: Buffer) => void this.router.handle(op, payload, 'district'),
          }),
    });
    this.uplink.start();
    if (!loopback) {
      // With a real district the bus does not see the uplink's availability: say it here too.
      const availability = (state: 'online' | 'offline') => JSON.stringify({ schema: 'availability/1', state, ts: new Date().toISOString(), version: GATEWAY_VERSION });
      await this.bus.publish(`${this.base}/availability`, availability('online'), { qos: 1, retain: true });
      this.onClose('availability', () => this.bus.publish(`${this.base}/availability`, availability('offline'), { qos: 1, retain: true }));
    }
    // Closed late (see closeAll), so that what the devices say while stopping still gets out.

    const library = await loadHomeworkLibrary(s.dataDir, log);
    for (const problem of library.problems) this.alarms.raise('homework-file-invalid', 'warning', `homework file not used: ${problem}`);
    const demo = library.assignments[0];
    const demoRoster = demo?.class ? library.rosters.get(demo.class) : undefined;
    const paper = await openPaperMap(s.dataDir, demo && demoRoster ? { assignment: demo, roster: demoRoster } : undefined);
    if (paper.problem) this.alarms.raise('paper-map-invalid', 'warning', `pen writing cannot be placed on printed pages: ${paper.problem}`);
    this.devices = new DeviceRegistry({ logger: log });
    const drivers = installedDrivers({
      dataDir: s.dataDir,
      ...(demo?.class && demoRoster
        ? {
            scannerPages: demoPageSource(demo, demoRoster),
            penScripts: demoPenScripts(demo, demoRoster, paper.map),
            cameraFrames: demoMirror({ roster: demoRoster, classId: demo.class, programme: s.mirror.programme }).source,
          }
        : {}),
    });
    for (const [kind, driver] of Object.entries(drivers)) this.devices.registerDriver(kind, driver);
    this.devices.on('state', (info) => {
      const { id, kind, transport, state, since, detail, lastError } = info;
      void this.publisher
        .publish('deviceState', { device: id }, { id, kind, transport, state, since, ...(detail ? { detail } : {}), ...(lastError ? { lastError } : {}) })
        .catch((err: unknown) => log.warn({ err, device: id }, 'device state not queued'));
    });
    this.devices.on('event', (event) => {
      void this.publisher.publish('deviceEvent', { device: event.device }, event).catch((err: unknown) => log.warn({ err, device: event.device }, 'device event not queued'));
    });
    this.devices.load(s.devices);
    this.hotplug = await startUsbHotplug({ logger: log });
    this.onClose('hotplug', () => this.hotplug.close());
    this.library = library;
    const scanning = new HomeworkScanning({
      dataDir: s.dataDir,
      assignments: library.assignments,
      omrSheets: library.omrSheets,
      rosters: library.rosters,
      devices: this.devices,
      publisher: this.publisher,
      counters: this.counters,
      retentionDays: () => this.settings.current.retention.scansDays,
      uploadCrops: () => this.settings.current.homework.uploadCrops,
      logger: log,
    });
    // Closed after the devices (closers run in reverse): the scanners stop first, then the pages
    // they already delivered are read and sent, so a shutdown loses none.
    this.onClose('homework scanning', () => scanning.stop());
    this.scanning = scanning;
    const pens = new PenHomework({
      devices: this.devices,
      publisher: this.publisher,
      counters: this.counters,
      assignments: library.assignments,
      paperMap: paper.map,
      settings: () => this.settings.current.pens,
      journalDir: join(s.dataDir, 'pens', 'journal'),
      onPageGraded: (grade) => scanning.addPenPage(grade),
      logger: log.child({ pipeline: 'pens' }),
    });
    // Like scanning: the pen hubs stop first, then the pages their pens wrote are read and sent.
    this.onClose('pen homework', () => pens.stop());
    this.pens = pens;
    const stopHotplug = this.devices.useHotplug(this.hotplug);
    this.onClose('devices', async () => {
      stopHotplug();
      await this.devices.stopAll();
    });
    const screen = new MirrorScreen({ stations: s.devices.filter((d) => d.kind === 'camera').map((d) => d.id), logger: log.child({ component: 'mirror-screen' }) });
    screen.attach(this.web.server);
    this.onClose('mirror screen', () => screen.close());
    const mirror = new MirrorPipeline({
      devices: this.devices,
      publisher: this.publisher,
      alarms: this.alarms,
      rosters: library.rosters,
      settings: () => this.settings.current.mirror,
      dataDir: s.dataDir,
      onLive: (live) => screen.push(live),
      logger: log.child({ pipeline: 'mirror' }),
    });
    // Stopped before the cameras (closers run in reverse): the stations' loops end and the sessions
    // still open are summarised and queued while the outbox is open.
    this.onClose('mirror', () => mirror.stop());
    this.mirror = mirror;
    await scanning.start();
    await pens.start();
    await mirror.start();
    await this.devices.startAll();

    registerOperations(this.router, {
      settings: this.settings,
      devices: this.devices,
      status: () => buildStatus(this),
      restart: (reason) => this.requestRestart(reason),
    });

    this.health = new HealthReporter({
      sampler: createSystemSampler({ dataDir: s.dataDir }),
      sources: healthSources(this),
      alarms: this.alarms,
      publish: (health) => this.publisher.publish('health', {}, health),
      intervalSeconds: s.telemetry.intervalSeconds,
      logger: log,
    });
    this.health.start();
    this.onClose('telemetry', () => this.health.stop());
    this.settings.on('change', (update) => {
      const now = this.settings.current;
      if (update.hot.some((key) => key.startsWith('telemetry'))) this.health.setInterval(now.telemetry.intervalSeconds);
      if (update.hot.includes('log.level')) log.level = now.log.level;
      if (update.hot.includes('mirror.debugSaveFrames')) mirror.watchDebugSetting();
    });

    if (s.nodeRed.enabled) {
      this.nodeRed = await startNodeRed({
        server: this.web.server,
        app: this.web.app,
        path: s.nodeRed.path,
        userDir: join(s.dataDir, 'node-red'),
        adminPasswordHash: this.secrets.adminPasswordHash,
        credentialSecret: this.secrets.nodeRedCredentialSecret,
        defaultFlowsFile: join(projectRoot(), 'flows', 'default-flows.json'),
        nodesDir: [join(projectRoot(), 'flows', 'palette')],
        bridge: createClassroomBridge({ baseTopic: this.base, bus: this.bus, publisher: this.publisher, router: this.router, devices: () => this.devices.list() }),
        logger: log,
      });
      const nodeRed = this.nodeRed;
      this.onClose('node-red', () => nodeRed.stop());
    }

    const web = await this.web.listen();
    const webHost = s.web.host === '0.0.0.0' || s.web.host === '::' ? '127.0.0.1' : s.web.host;
    const lan = this.bus.addresses().lan;
    this.addresses = {
      web: `http://${webHost}:${web.port}/`,
      editor: this.nodeRed ? `http://${webHost}:${web.port}${this.nodeRed.editorPath}` : null,
      bus: `mqtt://${s.bus.host}:${busPort}`,
      lan: lan ? `mqtt://${lan.address}:${lan.port}` : null,
      district: s.district.url ?? `(none: loopback to mqtt://127.0.0.1:${busPort})`,
      loopback,
    };
    void this.health.report();
  }

  /** Devices first so their last words are queued, then the uplink flushes, then storage closes. */
  stop(reason = 'shutdown'): Promise<void> {
    this.stopping ??= (async () => {
      this.log.info({ reason }, 'gateway stopping');
      await this.closeAll(reason);
      this.log.info('gateway stopped');
    })();
    return this.stopping;
  }

  private async closeAll(reason = 'shutdown'): Promise<void> {
    const order = [...this.closers].reverse();
    const uplinkAt = order.findIndex((c) => c.name === 'bus');
    for (const [i, closer] of order.entries()) {
      if (i === uplinkAt && this.uplink) await this.uplink.stop({ flushTimeoutMs: 2500, reason }).catch((err: unknown) => this.log.error({ err }, 'uplink stop failed'));
      try {
        await closer.close();
      } catch (err) {
        this.log.error({ err, part: closer.name }, 'stop failed');
      }
    }
    this.closers.length = 0;
  }

  /** Stops cleanly, then lets the caller (main.ts, or systemd's Restart=always) start a new process. */
  requestRestart(reason: string): void {
    void this.stop(reason).then(() => this.restartHook?.());
  }
}
