import { FIDUCIAL_SIZE, FIDUCIALS, QR_BOX, type Point } from '../layout/geometry.js';
import { affineFrom, homographyFrom, project, type Homography } from './homography.js';
import { luma, type Raster } from './raster.js';

export interface Registration {
  /** Page millimetres → scan pixels. */
  toPixels: Homography;
  /** Scan pixels per millimetre, near the page centre. */
  pixelsPerMm: number;
  rotationDegrees: number;
  /** Mean distance between where the QR code predicted the fiducials and where they were found. */
  errorMm: number;
  /** How many of the four fiducials were found (fewer: the QR code alone registers the page). */
  fiducialsFound: number;
}

const QR_CORNERS_MM: Point[] = [
  { x: QR_BOX.x, y: QR_BOX.y },
  { x: QR_BOX.x + QR_BOX.w, y: QR_BOX.y },
  { x: QR_BOX.x + QR_BOX.w, y: QR_BOX.y + QR_BOX.h },
  { x: QR_BOX.x, y: QR_BOX.y + QR_BOX.h },
];

/** The dark blob's centre near `guess`, if one of about a fiducial's size is there. */
function findFiducial(r: Raster, guess: Point, ppmm: number, darkBelow: number): Point | null {
  const half = Math.round(8 * ppmm);
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = Math.max(0, Math.round(guess.y) - half); y <= Math.min(r.height - 1, Math.round(guess.y) + half); y++) {
    for (let x = Math.max(0, Math.round(guess.x) - half); x <= Math.min(r.width - 1, Math.round(guess.x) + half); x++) {
      if (luma(r, x, y) < darkBelow) {
        sx += x;
        sy += y;
        n++;
      }
    }
  }
  const expected = (FIDUCIAL_SIZE * ppmm) ** 2;
  return n > expected * 0.6 && n < expected * 1.6 ? { x: sx / n, y: sy / n } : null;
}

/**
 * Where the printed page lies on the scan: first from the QR code's corners (which also give the
 * orientation), then refined with the four corner fiducials, which span the whole page.
 */
export function registerPage(r: Raster, qrCorners: Point[], darkBelow = 110): Registration {
  const fromQr = affineFrom(QR_CORNERS_MM, qrCorners);
  const top: [Point, Point] = [qrCorners[0]!, qrCorners[1]!];
  const ppmmQr = Math.hypot(top[1].x - top[0].x, top[1].y - top[0].y) / QR_BOX.w;
  const found = FIDUCIALS.map((f) => findFiducial(r, project(fromQr, f), ppmmQr, darkBelow));
  const rotationDegrees = ((Math.atan2(top[1].y - top[0].y, top[1].x - top[0].x) * 180) / Math.PI + 360) % 360;
  if (found.some((p) => p === null)) {
    return { toPixels: fromQr, pixelsPerMm: ppmmQr, rotationDegrees, errorMm: Number.NaN, fiducialsFound: found.filter(Boolean).length };
  }
  const points = found as Point[];
  const toPixels = homographyFrom([...FIDUCIALS], points);
  const errorMm = points.reduce((sum, p, i) => sum + Math.hypot(p.x - project(fromQr, FIDUCIALS[i]!).x, p.y - project(fromQr, FIDUCIALS[i]!).y), 0) / 4 / ppmmQr;
  const a = project(toPixels, { x: 100, y: 150 });
  const b = project(toPixels, { x: 110, y: 150 });
  return { toPixels, pixelsPerMm: Math.hypot(b.x - a.x, b.y - a.y) / 10, rotationDegrees, errorMm, fiducialsFound: 4 };
}
