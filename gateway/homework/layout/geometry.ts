/** Page geometry in millimetres, A4 portrait, origin top-left: shared by printer, synthesiser and reader. */
export const PAGE = { width: 210, height: 297 } as const;

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Four identical solid squares; the QR code, not the marks, tells which way up the page is. */
export const FIDUCIAL_SIZE = 7;
const FIDUCIAL_INSET = 12;
export const FIDUCIALS: readonly Point[] = [
  { x: FIDUCIAL_INSET, y: FIDUCIAL_INSET },
  { x: PAGE.width - FIDUCIAL_INSET, y: FIDUCIAL_INSET },
  { x: PAGE.width - FIDUCIAL_INSET, y: PAGE.height - FIDUCIAL_INSET },
  { x: FIDUCIAL_INSET, y: PAGE.height - FIDUCIAL_INSET },
];

/** The QR code's box; a quiet zone of QR_QUIET around it stays empty. */
export const QR_BOX: Rect = { x: 166, y: 19, w: 24, h: 24 };
export const QR_QUIET = 2;

/** Where fields may go: inside the fiducial frame, below the header. */
export const CONTENT = { left: 22, right: 188, top: 46, bottom: 276 } as const;

export const BUBBLE_RADIUS = 2.6;
export const BUBBLE_PITCH = 8;
export const DIGIT_BOX = { w: 9, h: 11, gap: 2 } as const;
export const MARK_BOX = 16;

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
