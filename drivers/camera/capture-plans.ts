/**
 * The command lines that turn a camera (or a video file, or a synthetic source) into an MJPEG
 * byte stream on stdout. Each plan also says which Debian package provides its command and what
 * its known error lines mean, so a failure reads as advice rather than as ffmpeg's own words only.
 */

export interface CapturePlan {
  command: string;
  args: string[];
  /** Named when the command is missing, e.g. "ffmpeg". */
  debianPackage: string;
  /** The device's state detail while it runs. */
  description: string;
  /** A stderr line matching the pattern means the message. */
  diagnoses: [RegExp, string][];
  /** Used instead, from then on, when this plan's process ends before a frame with stderr matching `when`. */
  fallback?: { when: RegExp; plan: CapturePlan; reason: string };
}

export interface PictureSize {
  width: number;
  height: number;
  fps: number;
}

export type V4l2Format = 'auto' | 'mjpeg' | 'raw';

const FFMPEG = process.env.FFMPEG ?? 'ffmpeg';
const RPICAM_VID = process.env.RPICAM_VID ?? 'rpicam-vid';

/** Quiet except for errors, which are what explains an exit; never reads the terminal. */
const FFMPEG_GLOBAL = ['-nostdin', '-hide_banner', '-loglevel', 'error'];
/** Without flushing per packet, ffmpeg's 32 KiB output buffer holds back the newest frame's tail. */
const MJPEG_OUT = ['-an', '-flush_packets', '1', '-f', 'mjpeg', 'pipe:1'];
/** One encoder thread: frame threads each hold back a frame, 4 frames (~130 ms) of latency on a Pi 4. */
const ENCODE_MJPEG = ['-c:v', 'mjpeg', '-threads', '1', '-q:v', '5', '-pix_fmt', 'yuvj420p'];
/** What V4L2 says when the camera offers no MJPEG (at this size). */
const NO_MJPEG = /Cannot find a proper format for codec 'mjpeg'/;

function v4l2Diagnoses(device: string, size: PictureSize): [RegExp, string][] {
  return [
    [/No such file or directory/, `camera ${device} not found: is it plugged in?`],
    [/No such device/, `camera ${device} went away: was it unplugged?`],
    [/Device or resource busy/, `camera ${device} is in use by another program`],
    [/Permission denied/, `no permission to open ${device}: add the gateway's user to the "video" group`],
    [NO_MJPEG, `camera ${device} offers no MJPEG at ${size.width}×${size.height}: set options.format to "raw" or "auto"`],
  ];
}

/**
 * A V4L2 camera through ffmpeg. `mjpeg` passes the camera's own JPEGs through untouched (no CPU
 * spent); `raw` encodes the camera's raw frames; `auto` tries MJPEG and falls back to encoding.
 */
export function v4l2Plan(device: string, size: PictureSize, format: V4l2Format): CapturePlan {
  const input = (inputFormat: string[]) => ['-f', 'v4l2', ...inputFormat, '-video_size', `${size.width}x${size.height}`, '-framerate', String(size.fps), '-i', device];
  const label = `${device} ${size.width}×${size.height} at ${size.fps} fps`;
  const raw: CapturePlan = {
    command: FFMPEG,
    args: [...FFMPEG_GLOBAL, ...input([]), ...ENCODE_MJPEG, ...MJPEG_OUT],
    debianPackage: 'ffmpeg',
    description: `${label} (ffmpeg, encoding raw frames)`,
    diagnoses: v4l2Diagnoses(device, size),
  };
  if (format === 'raw') return raw;
  const mjpeg: CapturePlan = {
    command: FFMPEG,
    args: [...FFMPEG_GLOBAL, '-fflags', 'nobuffer', ...input(['-input_format', 'mjpeg']), '-c:v', 'copy', ...MJPEG_OUT],
    debianPackage: 'ffmpeg',
    description: `${label} (ffmpeg, camera MJPEG)`,
    diagnoses: v4l2Diagnoses(device, size),
  };
  if (format === 'auto') mjpeg.fallback = { when: NO_MJPEG, plan: raw, reason: `camera ${device} offers no MJPEG at this size: encoding its raw frames instead` };
  return mjpeg;
}

/** A Pi camera (libcamera) through rpicam-vid, which encodes MJPEG itself. */
export function rpicamPlan(camera: number, size: PictureSize): CapturePlan {
  return {
    command: RPICAM_VID,
    args: ['-t', '0', '-n', '--camera', String(camera), '--codec', 'mjpeg', '--width', String(size.width), '--height', String(size.height), '--framerate', String(size.fps), '--flush', '-o', '-'],
    debianPackage: 'rpicam-apps',
    description: `Pi camera ${camera} ${size.width}×${size.height} at ${size.fps} fps (rpicam-vid)`,
    diagnoses: [
      [/no cameras available/i, 'no Pi camera found: check the ribbon cable and camera_auto_detect=1 in /boot/firmware/config.txt'],
      [/failed to acquire camera|Device or resource busy/i, 'the Pi camera is in use by another program'],
    ],
  };
}

/** A video file played in a loop at its own pace, resized to the configured picture: the simulator's. */
export function videoFilePlan(path: string, size: PictureSize): CapturePlan {
  return {
    command: FFMPEG,
    args: [...FFMPEG_GLOBAL, '-re', '-stream_loop', '-1', '-i', path, '-vf', `fps=${size.fps},scale=${size.width}:${size.height}`, ...ENCODE_MJPEG, ...MJPEG_OUT],
    debianPackage: 'ffmpeg',
    description: `video ${path} looped, ${size.width}×${size.height} at ${size.fps} fps`,
    diagnoses: [[/No such file or directory/, `video file ${path} not found`]],
  };
}

/**
 * Any ffmpeg input (`-f lavfi -i testsrc=…`, an RTSP URL …) encoded to MJPEG. Not reachable from the
 * settings: ffmpeg arguments there could write files, and frames must never reach the disk.
 */
export function ffmpegInputPlan(input: string[], description: string): CapturePlan {
  return { command: FFMPEG, args: [...FFMPEG_GLOBAL, ...input, ...ENCODE_MJPEG, ...MJPEG_OUT], debianPackage: 'ffmpeg', description, diagnoses: [] };
}
