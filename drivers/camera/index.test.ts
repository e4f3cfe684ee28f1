import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../gateway/log/logger.js';
import { cameraDriver } from './index.js';

const ctx = { logger: silentLogger() };
const create = (transport: 'real' | 'simulated', options: Record<string, unknown>) => () => cameraDriver().create({ id: 'cam', kind: 'camera', transport, options }, ctx);

describe('camera driver factory', () => {
  it('names the bad option and what is allowed', () => {
    expect(create('real', { capture: 'gstreamer' })).toThrow('devices[cam].options.capture: allowed: "ffmpeg", "rpicam-vid"; found "gstreamer"');
    expect(create('real', { device: 'video0' })).toThrow('devices[cam].options.device: allowed: an absolute path such as "/dev/video0"; found "video0"');
    expect(create('real', { format: 'h264' })).toThrow('devices[cam].options.format: allowed: "auto", "mjpeg", "raw"; found "h264"');
    expect(create('real', { width: 10_000 })).toThrow('devices[cam].options.width: allowed: a whole number from 16 to 4096; found 10000');
    expect(create('real', { fps: 7.5 })).toThrow('devices[cam].options.fps: allowed: a whole number from 1 to 120; found 7.5');
    expect(create('real', { stallMs: '5s' })).toThrow('devices[cam].options.stallMs: allowed: a whole number from 500 to 60000; found "5s"');
    expect(create('real', { capture: 'rpicam-vid', device: '/dev/video0' })).toThrow('devices[cam].options.device: not used with capture "rpicam-vid"');
    expect(create('real', { camera: 1 })).toThrow('devices[cam].options.camera: not used with capture "ffmpeg"');
    expect(create('real', { fsp: 30 })).toThrow('devices[cam].options.fsp: not an option of a real camera; allowed: "capture", "device", "camera", "format", "width", "height", "fps", "stallMs", "usbVendorId", "usbProductId"');
    expect(create('simulated', { device: '/dev/video0' })).toThrow('devices[cam].options.device: not an option of a simulated camera');
    expect(create('simulated', { video: 'demo.mp4' })).toThrow('devices[cam].options.video: allowed: an absolute path');
  });

  it('builds ffmpeg or rpicam-vid capture for real and the simulator for simulated, without starting anything', () => {
    expect(create('real', {})()).toMatchObject({ kind: 'camera', transport: 'real' });
    expect(create('real', { capture: 'rpicam-vid', camera: 1, width: 1280, height: 720, fps: 30 })()).toMatchObject({ kind: 'camera', transport: 'real' });
    expect(create('simulated', {})()).toMatchObject({ kind: 'camera', transport: 'simulated' });
    expect(create('simulated', { video: '/srv/mirror/demo.mp4' })()).toMatchObject({ kind: 'camera', transport: 'simulated' });
  });

  it('offers only counters as actions: frames never leave the box', () => {
    expect(Object.keys(create('simulated', {})().actions())).toEqual(['stats']);
  });

  it.runIf(!existsSync('/dev/video0'))('probe explains an empty /dev instead of listing nothing', async () => {
    await expect(cameraDriver().probe!()).rejects.toThrow('no camera found: /dev has no video devices');
  });
});
