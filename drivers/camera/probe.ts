import { readdir, readFile } from 'node:fs/promises';
import type { ProbeResult } from '../../gateway/devices/registry.js';

/** The Pi's own V4L2 nodes (codecs, ISP, the CSI receiver): not cameras ffmpeg can open by themselves. */
const PI_INTERNAL = /bcm2835-codec|bcm2835-isp|pispbe|rpi-hevc-dec|rp1-cfe|unicam/;
/** The CSI receiver's node: a camera on the ribbon cable, which rpicam-vid (libcamera) drives. */
const PI_CSI = /rp1-cfe|unicam/;

async function sysfs(node: string, file: string): Promise<string | undefined> {
  return (await readFile(`/sys/class/video4linux/${node}/${file}`, 'utf8').catch(() => undefined))?.trim();
}

/**
 * Cameras on this host: /dev/video* capture nodes named from sysfs. A UVC camera has a second node
 * for metadata (index ≠ 0), which is skipped. Finding none is an error with advice, so the web
 * page says why the list is empty.
 */
export async function probeCameras(): Promise<ProbeResult[]> {
  const names = (await readdir('/dev').catch(() => [] as string[])).filter((n) => /^video\d+$/.test(n));
  names.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const results: ProbeResult[] = [];
  let piCamera = false;
  for (const node of names) {
    const [name, index] = [await sysfs(node, 'name'), await sysfs(node, 'index')];
    if (name && PI_CSI.test(name)) piCamera = true;
    if ((name && PI_INTERNAL.test(name)) || (index !== undefined && index !== '0')) continue;
    results.push({ description: `${name ?? 'V4L2 camera (no sysfs here: name unknown)'} at /dev/${node}`, options: { capture: 'ffmpeg', device: `/dev/${node}` } });
  }
  if (piCamera) results.push({ description: 'Pi camera on the ribbon cable (libcamera)', options: { capture: 'rpicam-vid', camera: 0 } });
  if (results.length === 0) {
    throw new Error(
      names.length === 0
        ? 'no camera found: /dev has no video devices (plug in a USB camera, or check that the uvcvideo module is loaded)'
        : `no camera found: /dev has only the Pi's own video nodes (${names.join(', ')})`,
    );
  }
  return results;
}
