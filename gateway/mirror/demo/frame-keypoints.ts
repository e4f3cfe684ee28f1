import { KEYPOINT_NAMES, type KeypointName } from '../exercises/keypoints.js';

export interface Point {
  x: number;
  y: number;
}

/** The synthesiser's skeleton record as an array in MoveNet's keypoint order. */
export const inOrder = (points: Record<KeypointName, Point>): Point[] => KEYPOINT_NAMES.map((name) => points[name]);

/**
 * The synthesiser's skeleton is in square units (x and y measured alike); a frame's keypoints are
 * normalised to its width and height. Squeezing x about the centre by height/width keeps the
 * body's proportions in a landscape frame, and the exercise measures (which stretch x back by the
 * aspect ratio) see the synthesised angles. `shiftX` moves the person across the frame (frame units).
 */
export function toFrame(points: readonly Point[], width: number, height: number, shiftX = 0): Point[] {
  const k = height / width;
  return points.map((p) => ({ x: 0.5 + (p.x - 0.5) * k + shiftX, y: p.y }));
}
