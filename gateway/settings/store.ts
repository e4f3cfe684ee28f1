import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import type { Logger } from '../log/logger.js';
import { loadSettings, updateSettings, type SettingsUpdate } from './settings.js';
import type { Settings } from './types.js';

/**
 * The running gateway's settings. Updates (from the web page, say) are queued so that two at
 * once cannot undo each other; after each one that changed something, `change` fires with the
 * update: listeners apply its `hot` keys (log level, telemetry interval, retention), and the
 * page tells IT to restart for `restartRequired` ones. `current` keeps the saved values either way.
 */
export class SettingsStore extends EventEmitter<{ change: [SettingsUpdate] }> {
  #current: Settings;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    current: Settings,
  ) {
    super();
    this.#current = current;
  }

  static async open(file: string, logger: Logger): Promise<SettingsStore> {
    return new SettingsStore(resolve(file), await loadSettings(file, logger));
  }

  get current(): Settings {
    return this.#current;
  }

  /** JSON merge patch; rejects with a SettingsError (nothing saved) if the result is invalid. */
  update(patch: unknown): Promise<SettingsUpdate> {
    const run = this.#queue.then(async () => {
      const update = await updateSettings(this.file, this.#current, patch);
      this.#current = update.settings;
      if (update.changed.length > 0) this.emit('change', update);
      return update;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
