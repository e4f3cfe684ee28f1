import { SettingsError, type Settings, type SettingsStore } from '../settings/index.js';
import { DeviceActionError, type DeviceRegistry } from '../devices/registry.js';
import { RequestError } from './request-error.js';
import { AfterResponse, type RequestRouter } from './request-router.js';

export interface OperationContext {
  settings: SettingsStore;
  devices: DeviceRegistry;
  status: () => Promise<unknown>;
  /** Stops the gateway cleanly and starts it again; called once the response is in the outbox. */
  restart: (reason: string) => void;
}

const SECRET_KEYS = /password|secret|key$|passwordHash/i;

/** Settings as the district sees them: passwords, keys and hashes replaced by "***". */
export function maskSecrets(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  if (typeof value === 'string' && SECRET_KEYS.test(key)) return '***';
  if (typeof value === 'string' && /^(mqtts?|wss?):\/\/[^/@]*:[^/@]*@/.test(value)) return value.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The operations of gateway/contract/operations.ts, bound to the running gateway. */
export function registerOperations(router: RequestRouter, ctx: OperationContext): void {
  router.register('status', async () => ctx.status());

  router.register('get-settings', async () => maskSecrets(ctx.settings.current) as Settings);

  router.register('set-settings', async (data) => {
    if (!isObject(data) || !isObject(data.patch)) throw new RequestError('invalid', 'data must be { "patch": { … } } (a JSON merge patch of the settings)');
    try {
      const update = await ctx.settings.update(data.patch);
      return { changed: update.changed, applied: update.hot, restartRequired: update.restartRequired };
    } catch (err) {
      if (err instanceof SettingsError) throw new RequestError('invalid', err.message);
      throw err;
    }
  });

  router.register('restart', async () => new AfterResponse({ restarting: true }, () => ctx.restart('restart requested')));

  router.register('device', async (data) => {
    if (!isObject(data) || typeof data.device !== 'string' || typeof data.action !== 'string') {
      throw new RequestError('invalid', 'data must be { "device": "<id>", "action": "<name>", "args"?: { … } }');
    }
    try {
      return await ctx.devices.runAction(data.device, data.action, data.args ?? {});
    } catch (err) {
      if (err instanceof DeviceActionError) throw new RequestError(err.code === 'not-ready' ? 'busy' : 'not-found', err.message);
      throw err;
    }
  });
}
