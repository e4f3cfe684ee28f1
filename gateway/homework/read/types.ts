/** What the page reader says about one field; the grader turns it into points. */
export type FieldState = 'blank' | 'marked' | 'multiple' | 'faint' | 'cancelled' | 'tick' | 'cross' | 'digits' | 'unreadable';

export interface FieldReading {
  questionId: string;
  state: FieldState;
  /** Bubbles: the chosen option labels (digits for numeric); teacher marks: "tick"/"cross"; null when nothing. */
  value: string[] | string | null;
  /** 0..1: how far the measurements were from the decision thresholds. */
  confidence: number;
  /** Low confidence, faint, several marks on a single choice, unreadable: a teacher decides, nothing is guessed. */
  needsReview: boolean;
}

/** `blank`: nothing printed or written on it, such as the back of a sheet in a duplex batch. */
export type PageStatus = 'read' | 'unrecognised' | 'blank' | 'rejected';

export interface PageReading {
  status: PageStatus;
  /** Why a page is unrecognised, blank or rejected, in words. */
  reason?: string;
  assignmentId?: string;
  page?: number;
  studentId?: string | null;
  readings: FieldReading[];
  /** Where the page sat on the scan: rotation in degrees (0, 90, 180, 270 plus skew). */
  rotationDegrees?: number;
  /** Mean distance (mm) between the fiducials found and where the QR code predicted them. */
  registrationErrorMm?: number;
  timings: { decodeMs: number; locateMs: number; fieldsMs: number };
  /** With `crops: true`: every answer region cut from the scan (PNG), for the teacher and the wrong-question book. */
  crops?: { questionId: string; png: Buffer }[];
}
