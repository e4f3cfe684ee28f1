import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../gateway/log/logger.js';
import { scannerDriver } from './index.js';

const ctx = { logger: silentLogger() };

describe('scanner driver factory', () => {
  it('builds a SANE scanner for transport real and a simulator for simulated', () => {
    expect(scannerDriver().create({ id: 's1', kind: 'scanner', transport: 'real', options: { device: 'test' } }, ctx).transport).toBe('real');
    expect(scannerDriver().create({ id: 's2', kind: 'scanner', transport: 'simulated' }, ctx).transport).toBe('simulated');
  });

  it('names the bad option and the allowed values', () => {
    const create = (options: Record<string, unknown>) => () => scannerDriver().create({ id: 's1', kind: 'scanner', transport: 'real', options }, ctx);
    expect(create({ mode: 'sepia' })).toThrow('devices[s1].options.mode: allowed: "gray", "color"; found "sepia"');
    expect(create({ resolution: -5 })).toThrow('devices[s1].options.resolution');
    expect(create({ input: 'fax' })).toThrow('devices[s1].options.input: allowed: "sane", "hot-folder"');
    expect(create({ input: 'hot-folder' })).toThrow('devices[s1].options.folder: required');
  });
});
