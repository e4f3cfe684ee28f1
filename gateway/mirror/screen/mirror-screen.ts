import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { MirrorLive } from '../../contract/types.generated.js';
import type { Logger } from '../../log/logger.js';
import { frame, screenCopy } from './wire.js';

export interface MirrorScreenOptions {
  /** The box's mirror stations (camera ids) in the order offered; the first is a screen's default. */
  stations: readonly string[];
  logger: Logger;
  /** Default `/mirror/live`. */
  path?: string;
  /** A screen with more than this unsent skips frames until it catches up; default 16 KiB (a few frames). */
  maxBufferedBytes?: number;
  /** Default 16: a corridor has one or two screens; this bounds what a LAN visitor can open. */
  maxScreens?: number;
  /** Ping interval; a screen that missed the previous pong is dropped. Default 30 s. */
  heartbeatMs?: number;
}

export interface StationStatus {
  station: string;
  screens: number;
  /** `at` of the last message pushed, null before the first. */
  lastAt: string | null;
  /** Frames not sent to a screen because it had not taken the previous ones yet. */
  skipped: number;
}

/** Same rule as settings ids: they become MQTT topic levels too. */
const STATION_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Close code for "no such station": the 4000s are the application's own. */
export const UNKNOWN_STATION = 4404;

interface Screen {
  ws: WebSocket;
  station: string;
  /** A frame was skipped; send the newest as soon as the socket has drained. */
  behind: boolean;
  alive: boolean;
}

interface Latest {
  json: string;
  at: string;
}

/**
 * Pushes mirror-live messages to the mirror's full-screen page over a WebSocket. Read-only: the
 * page sends nothing but pongs. Each screen gets the newest state of its station at once on
 * connect, then every push; a screen that cannot keep up skips frames instead of queueing them.
 */
export class MirrorScreen {
  private readonly path: string;
  private readonly maxBuffered: number;
  private readonly maxScreens: number;
  private readonly logger: Logger;
  /** Configured stations, then any the pipeline pushes for: insertion order is the offered order. */
  private readonly stations: Set<string>;
  private readonly screens = new Map<string, Set<Screen>>();
  private readonly latest = new Map<string, Latest>();
  private readonly skipped = new Map<string, number>();
  // noServer: ws's `server` option would answer 400 to the upgrades of Node-RED and the bus.
  // A screen sends nothing of its own, so any frame bigger than a ping's is refused by ws.
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private readonly heartbeat: NodeJS.Timeout;
  private server: http.Server | undefined;

  constructor(options: MirrorScreenOptions) {
    this.path = options.path ?? '/mirror/live';
    this.maxBuffered = options.maxBufferedBytes ?? 16 * 1024;
    this.maxScreens = options.maxScreens ?? 16;
    this.logger = options.logger.child({ component: 'mirror-screen' });
    const bad = options.stations.filter((s) => !STATION_ID.test(s));
    if (bad.length > 0) throw new Error(`mirror screen: invalid station id ${JSON.stringify(bad[0])}`);
    this.stations = new Set(options.stations);
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 30_000).unref();
  }

  /** Serves upgrades on the path; every other upgrade is left to the server's other listeners. */
  attach(server: http.Server): void {
    if (this.server) throw new Error('mirror screen: already attached');
    this.server = server;
    server.on('upgrade', this.onUpgrade);
  }

  push(message: MirrorLive): void {
    const station = message.station;
    if (!STATION_ID.test(station)) {
      this.logger.warn({ station }, 'mirror screen: message for an invalid station id dropped');
      return;
    }
    this.stations.add(station);
    const json = frame({ type: 'live', live: screenCopy(message) });
    this.latest.set(station, { json, at: message.at });
    for (const screen of this.screens.get(station) ?? []) {
      if (!this.send(screen, json)) this.skipped.set(station, (this.skipped.get(station) ?? 0) + 1);
    }
  }

  status(): StationStatus[] {
    return [...this.stations].map((station) => ({
      station,
      screens: this.screens.get(station)?.size ?? 0,
      lastAt: this.latest.get(station)?.at ?? null,
      skipped: this.skipped.get(station) ?? 0,
    }));
  }

  /** Detaches and says goodbye to every screen (they reconnect to whoever serves the path next). */
  close(): void {
    clearInterval(this.heartbeat);
    this.server?.off('upgrade', this.onUpgrade);
    this.server = undefined;
    for (const set of this.screens.values()) for (const screen of set) screen.ws.close(1001, 'gateway stopping');
    this.wss.close();
  }

  private readonly onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname !== this.path) {
      // Another upgrade handler may own this path; if there is none, do not leave the socket hanging.
      if (this.server?.listenerCount('upgrade') === 1) socket.destroy();
      return;
    }
    // Any web page the teacher's browser opens could otherwise read the names from the LAN.
    if (!sameOrigin(req)) return refuse(socket, '403 Forbidden');
    if (this.count() >= this.maxScreens) return refuse(socket, '503 Service Unavailable');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.welcome(ws, url.searchParams.get('station'), req.socket.remoteAddress));
  };

  private welcome(ws: WebSocket, asked: string | null, remote: string | undefined): void {
    const station = asked ?? this.stations.values().next().value;
    const stations = [...this.stations];
    if (station === undefined || !this.stations.has(station)) {
      // Told rather than refused: a browser cannot read an HTTP refusal, and the page names the stations.
      ws.send(frame({ type: 'hello', station: null, stations }));
      ws.close(UNKNOWN_STATION, 'unknown station');
      return;
    }
    const screen: Screen = { ws, station, behind: false, alive: true };
    const set = this.screens.get(station) ?? new Set<Screen>();
    this.screens.set(station, set.add(screen));
    this.logger.info({ station, remote, screens: set.size }, 'mirror screen connected');
    ws.on('pong', () => (screen.alive = true));
    ws.on('message', () => ws.close(1008, 'this socket takes no commands'));
    ws.on('error', (err) => this.logger.debug({ err, station }, 'mirror screen: socket error'));
    ws.on('close', () => {
      set.delete(screen);
      this.logger.info({ station, remote, screens: set.size }, 'mirror screen disconnected');
    });
    this.send(screen, frame({ type: 'hello', station, stations }));
    const latest = this.latest.get(station);
    if (latest) this.send(screen, latest.json);
  }

  /**
   * Newest wins: a screen still holding unsent data skips this frame (false), and gets the newest
   * once its earlier frames are written.
   */
  private send(screen: Screen, json: string): boolean {
    if (screen.ws.readyState !== WebSocket.OPEN) return true;
    if (screen.ws.bufferedAmount > this.maxBuffered) {
      screen.behind = true;
      return false;
    }
    screen.behind = false;
    screen.ws.send(json, (err) => {
      if (err || !screen.behind) return;
      const latest = this.latest.get(screen.station);
      if (latest) this.send(screen, latest.json);
    });
    return true;
  }

  private beat(): void {
    for (const set of this.screens.values()) {
      for (const screen of set) {
        if (!screen.alive) {
          screen.ws.terminate();
          continue;
        }
        screen.alive = false;
        screen.ws.ping();
      }
    }
  }

  private count(): number {
    let n = 0;
    for (const set of this.screens.values()) n += set.size;
    return n;
  }
}

function sameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  // No Origin: not a browser (a test, a kiosk helper); browsers always send one on WebSocket.
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === new URL(`http://${req.headers.host ?? ''}`).host;
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
