/**
 * The camera's one interface. A V4L2 USB camera or a Pi camera (through ffmpeg or rpicam-vid) and
 * the simulator all implement `Camera`, and everything downstream (the magic mirror's pose
 * pipeline) sees only the frames below: whole JPEGs, newest first, never a backlog.
 *
 * Privacy: frames live in memory only. Nothing here writes one to disk or hands one to the
 * message path; a device action that returned a frame would publish it, so there is none.
 */
import type { LatestFrameSlot } from './latest-frame-slot.js';

export interface CameraFrame {
  /** One complete JPEG (SOI … EOI), exactly as the camera or encoder produced it. */
  jpeg: Buffer;
  /** From 1 for the device's lifetime, across restarts: a gap means frames were lost before us. */
  seq: number;
  /** performance.now() when the frame's last byte arrived: monotonic, for latency and pacing. */
  capturedAt: number;
  /** From the JPEG's SOF header; absent only if the frame had none (never seen from ffmpeg). */
  width?: number;
  height?: number;
}

export interface CameraStats {
  /** Whole frames received. */
  frames: number;
  /** Frames replaced by a newer one before a consumer's slot took them (the consumer was busy). */
  dropped: number;
  /** Capture process (re)starts after the first. */
  restarts: number;
  /** Frames per second received over the last two seconds. */
  fps: number;
  /** Bytes skipped while looking for the start of a frame. */
  garbageBytes: number;
  /** Frames abandoned half-way: a broken header, or a new frame starting before the end. */
  malformedFrames: number;
  /** Frames longer than the per-frame limit, dropped whole. */
  oversizeFrames: number;
}

export interface Camera {
  /** Every frame, synchronously as it completes. Keep listeners cheap; use `slot()` for slow work. */
  onFrame(listener: (frame: CameraFrame) => void): () => void;
  /** The newest frame, or null before the first. */
  latest(): CameraFrame | null;
  /** A consumer's own newest-frame slot: `next()` when ready, `close()` when done. */
  slot(): LatestFrameSlot;
  stats(): CameraStats;
}
