/**
 * Page geometry in millimetres, A4 portrait, origin top-left. The printer, the scan synthesiser
 * and the page reader all use these numbers (through layout.ts), so a change here changes every
 * page's layout hash and pages printed before it are recognised as another layout version.
 */
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

/**
 * Four identical solid squares (centres listed clockwise from top-left); the QR code, not the
 * marks, tells which way up the page is. 12 mm in keeps them clear of printers' unprintable margin.
 */
export const FIDUCIAL_SIZE = 7;
const FIDUCIAL_INSET = 12;
export const FIDUCIALS: readonly Point[] = [
  { x: FIDUCIAL_INSET, y: FIDUCIAL_INSET },
  { x: PAGE.width - FIDUCIAL_INSET, y: FIDUCIAL_INSET },
  { x: PAGE.width - FIDUCIAL_INSET, y: PAGE.height - FIDUCIAL_INSET },
  { x: FIDUCIAL_INSET, y: PAGE.height - FIDUCIAL_INSET },
];

/**
 * The QR code's modules fill this box exactly. QR_QUIET is the empty margin kept around it: the
 * standard asks for 4 modules, and the shortest page id already needs version 2 (25 modules,
 * 0.96 mm each in 24 mm), so 4 mm is enough for every payload. 24 mm keeps modules of the
 * longest payload (version 8, 0.49 mm) at about 3 pixels in a 150 dpi scan. The box and its
 * quiet zone stay inside the fiducials' inner edges, and 2 mm or more away from the top-right one.
 */
export const QR_BOX: Rect = { x: 164, y: 20, w: 24, h: 24 };
export const QR_QUIET = 4;

/** Where question fields may go: inside the fiducial frame, below the header and the QR code's quiet zone. */
export const CONTENT = { left: 22, right: 188, top: 49, bottom: 276 } as const;

/** 5.2 mm bubbles 8 mm apart are 31 px wide and 47 px apart at 150 dpi: a fill is still told from the ring. */
export const BUBBLE_RADIUS = 2.6;
export const BUBBLE_PITCH = 8;
export const DIGIT_BOX = { w: 9, h: 11, gap: 2 } as const;
export const MARK_BOX = 16;
/** Outlines of bubbles and boxes. */
export const LINE_WIDTH = 0.3;

/**
 * One line of text: left edge, baseline and em size (mm). Renderers cut it at maxWidth, so text
 * never runs into a field or the QR code's quiet zone whatever the title or prompt.
 */
export interface TextSlot {
  x: number;
  baseline: number;
  size: number;
  maxWidth: number;
}

/** The area a text slot may ink: Helvetica's ascender is 0.72 em and its descender 0.21 em. */
export function textRect(slot: TextSlot): Rect {
  return { x: slot.x, y: slot.baseline - 0.75 * slot.size, w: slot.maxWidth, h: slot.size };
}

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
