/**
 * The classroom's local MQTT bus: one embedded aedes broker behind up to three listeners
 * (loopback, LAN, WebSocket on the web server). Policy lives in aedes's hooks, not in a fork:
 * auth.ts decides who connects, acl.ts what they may publish and subscribe to.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server as NetServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type AedesPublishPacket, type AuthenticateError, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from '../log/logger.js';
import { createAcl, isValidFilter, isValidTopicName, type Principal } from './acl.js';
import { createAuthenticator, isLoopbackHost, type BusUser, type ListenerName, type TokenAuth } from './auth.js';
import { guardPacketSize } from './frame-guard.js';

export type { Role } from './acl.js';
export type { BusUser, TokenAuth } from './auth.js';

export interface LocalBusOptions {
  /** e.g. "classroom/demo-school/demo-classroom/gateway-1" */
  baseTopic: string;
  /** Conventionally 127.0.0.1:1883. Must be a loopback address: anonymous clients here get full access. */
  loopback: { host: string; port: number; allowAnonymous: boolean };
  /** Optional listener for the classroom LAN; always requires credentials. */
  lan?: { host: string; port: number };
  /** MQTT over WebSocket on the web server's HTTP server, upgraded on `path` only; requires credentials. */
  websocket?: { server: HttpServer; path: string };
  users: BusUser[];
  tokenAuth?: TokenAuth;
  /** Largest inbound MQTT packet accepted (default 256 KiB); larger ones drop the connection. */
  maxPacketBytes?: number;
  logger: Logger;
}

export interface LocalBusStats {
  /** Connected, authenticated MQTT clients. */
  clients: number;
  /** Messages accepted onto the bus, from clients and in-process; the broker's own $SYS traffic excluded. */
  published: number;
  refusedConnections: number;
  refusedPublishes: number;
  refusedSubscribes: number;
}

export interface LocalBus {
  /** Publish as the gateway itself: in-process, not subject to the ACL. */
  publish(topic: string, payload: Buffer | string, opts?: { qos?: 0 | 1; retain?: boolean }): Promise<void>;
  /** In-process subscription (MQTT wildcards allowed); live messages only. Returns the unsubscribe function. */
  subscribe(pattern: string, handler: (topic: string, payload: Buffer) => void): () => void;
  /** The addresses really bound (useful with port 0). */
  addresses(): { loopback: AddressInfo; lan?: AddressInfo };
  stats(): LocalBusStats;
  /** Stops the listeners, disconnects every client and closes the broker. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_MAX_PACKET_BYTES = 256 * 1024;

export async function createLocalBus(options: LocalBusOptions): Promise<LocalBus> {
  const { logger } = options;
  if (!isLoopbackHost(options.loopback.host)) {
    throw new Error(`bus: loopback listener host ${JSON.stringify(options.loopback.host)} is not a loopback address`);
  }
  const acl = createAcl(options.baseTopic);
  const auth = createAuthenticator({
    users: options.users,
    allowAnonymousLoopback: options.loopback.allowAnonymous,
    tokenAuth: options.tokenAuth,
  });
  const maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  const counters = { published: 0, refusedConnections: 0, refusedPublishes: 0, refusedSubscribes: 0 };

  // authenticate() only sees the client's stream, so each stream is tagged with its listener on accept.
  const listenerOf = new WeakMap<Duplex, ListenerName>();
  const principals = new WeakMap<Client, Principal>();
  const usernames = new WeakMap<Client, string>();

  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const listener = listenerOf.get(client.conn);
      const refuse = (returnCode: 4 | 5, reason: string): void => {
        counters.refusedConnections++;
        logger.warn({ listener, username, clientId: client.id, reason }, 'bus: connection refused');
        done(Object.assign(new Error(reason), { returnCode }) as AuthenticateError, null);
      };
      if (!listener) return refuse(5, 'connection from an unknown listener');
      auth.authenticate(listener, username, password).then(
        (result) => {
          if (!result.ok) return refuse(result.returnCode, result.reason);
          principals.set(client, result.principal);
          if (username !== undefined) usernames.set(client, username);
          logger.info({ listener, username, clientId: client.id, role: result.principal.role }, 'bus: client connected');
          done(null, true);
        },
        (err: unknown) => {
          logger.error({ err, listener, username }, 'bus: authentication failed');
          refuse(5, 'authentication error');
        },
      );
    },

    authorizePublish(client, packet, done) {
      // A null client is a will left by a session this broker no longer knows: nobody vouches for it.
      const principal = client ? principals.get(client) : undefined;
      const reason = principal ? acl.publish(principal, packet.topic) : 'no authenticated session';
      if (reason === undefined) return done(null);
      counters.refusedPublishes++;
      logger.warn({ clientId: client?.id, username: client && usernames.get(client), topic: packet.topic, reason }, 'bus: publish refused');
      // aedes closes the connection on this error: MQTT 3.1.1 has no negative PUBACK [MQTT-3.3.5-2].
      done(new Error(reason));
    },

    authorizeSubscribe(client, sub, done) {
      const principal = principals.get(client);
      const reason = principal ? acl.subscribe(principal, sub.topic) : 'no authenticated session';
      if (reason === undefined) return done(null, sub);
      counters.refusedSubscribes++;
      logger.warn({ clientId: client.id, username: usernames.get(client), filter: sub.topic, reason }, 'bus: subscription refused');
      done(null, null); // SUBACK 0x80 for this filter; the client stays connected
    },

    // Filters were checked at SUBSCRIBE; re-checking each delivered topic keeps a gap in that
    // check (or a filter form aedes may add later) from leaking messages across subtrees.
    authorizeForward(client, packet) {
      const principal = principals.get(client);
      return principal && acl.mayReceive(principal, packet.topic) ? packet : null;
    },
  });
  broker.on('publish', (packet) => {
    if (!packet.topic.startsWith('$SYS/')) counters.published++;
  });
  broker.on('clientError', (client, err) => logger.debug({ clientId: client.id, err: err.message }, 'bus: client error'));
  broker.on('connectionError', (_client, err) => logger.debug({ err: err.message }, 'bus: connection error'));

  // Every accepted stream, so close() can also end connections that never sent CONNECT.
  const connections = new Set<Duplex>();
  let closing = false;
  function accept(stream: Duplex, listener: ListenerName, req?: IncomingMessage): void {
    if (closing) {
      stream.destroy();
      return;
    }
    listenerOf.set(stream, listener);
    connections.add(stream);
    stream.once('close', () => connections.delete(stream));
    broker.handle(stream, req);
    guardPacketSize(stream, maxPacketBytes, () =>
      logger.warn({ listener, maxPacketBytes }, 'bus: packet over the size limit, connection dropped'),
    );
  }

  const servers: NetServer[] = [];
  async function listenTcp(listener: ListenerName, host: string, port: number): Promise<AddressInfo> {
    const server = createServer((socket) => accept(socket, listener));
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => logger.error({ err, listener }, 'bus: listener error'));
    return server.address() as AddressInfo;
  }

  let wss: WebSocketServer | undefined;
  let onUpgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | undefined;
  let addresses: { loopback: AddressInfo; lan?: AddressInfo };
  try {
    addresses = { loopback: await listenTcp('loopback', options.loopback.host, options.loopback.port) };
    if (options.lan) addresses.lan = await listenTcp('lan', options.lan.host, options.lan.port);
    if (options.websocket) {
      const { server, path } = options.websocket;
      // noServer: ws's own `server` option answers 400 to every other upgrade path, which would
      // break any other WebSocket endpoint the web server has. ws's maxPayload also bounds a
      // single frame, which ws would otherwise buffer (up to 100 MiB) before our guard sees it.
      const ws = new WebSocketServer({ noServer: true, maxPayload: maxPacketBytes });
      wss = ws;
      onUpgrade = (req, socket, head) => {
        if (new URL(req.url ?? '/', 'http://gateway').pathname !== path) {
          // Another upgrade handler may own this path; if there is none, do not leave the socket hanging.
          if (server.listenerCount('upgrade') === 1) socket.destroy();
          return;
        }
        ws.handleUpgrade(req, socket, head, (websocket) => accept(createWebSocketStream(websocket), 'websocket', req));
      };
      server.on('upgrade', onUpgrade);
    }
  } catch (err) {
    await shutdown();
    throw err;
  }
  logger.info({ loopback: addresses.loopback, lan: addresses.lan, websocket: options.websocket?.path }, 'bus: listening');

  async function shutdown(): Promise<void> {
    closing = true;
    if (onUpgrade) options.websocket?.server.off('upgrade', onUpgrade);
    const serversClosed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    wss?.close();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    for (const stream of connections) stream.destroy();
    await Promise.all(serversClosed);
  }

  let closed: Promise<void> | undefined;
  return {
    publish(topic, payload, opts = {}) {
      if (closing) return Promise.reject(new Error('bus: closed'));
      if (!isValidTopicName(topic)) return Promise.reject(new Error(`bus: cannot publish on ${JSON.stringify(topic)}`));
      return new Promise<void>((resolve, reject) => {
        broker.publish(
          { cmd: 'publish', topic, payload: toBuffer(payload), qos: opts.qos ?? 0, retain: opts.retain ?? false, dup: false },
          (err) => (err ? reject(err) : resolve()),
        );
      });
    },

    subscribe(pattern, handler) {
      if (closing) throw new Error('bus: closed');
      if (!isValidFilter(pattern)) throw new Error(`bus: invalid topic filter ${JSON.stringify(pattern)}`);
      // As for MQTT clients [MQTT-4.7.2-1]: a filter starting with a wildcard does not match $SYS topics.
      const skipDollar = pattern.startsWith('+') || pattern.startsWith('#');
      // aedes (mqemitter) removes a listener only on the next turn; `active` stops delivery at once.
      let active = true;
      const deliver = (packet: AedesPublishPacket, cb: () => void): void => {
        if (active && !(skipDollar && packet.topic.startsWith('$'))) {
          try {
            handler(packet.topic, toBuffer(packet.payload));
          } catch (err) {
            logger.error({ err, topic: packet.topic, pattern }, 'bus: in-process subscriber threw');
          }
        }
        cb();
      };
      broker.subscribe(pattern, deliver, noop);
      return () => {
        if (!active) return;
        active = false;
        if (!closing) broker.unsubscribe(pattern, deliver, noop);
      };
    },

    addresses() {
      return { ...addresses };
    },

    stats() {
      return { clients: broker.connectedClients, ...counters };
    },

    close() {
      closed ??= shutdown().then(() => logger.info('bus: closed'));
      return closed;
    },
  };
}

function toBuffer(payload: Buffer | string): Buffer {
  return Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
}

function noop(): void {}
