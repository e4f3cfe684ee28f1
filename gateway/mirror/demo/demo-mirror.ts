import sharp from 'sharp';
import type { FrameSource } from '../../../drivers/camera/index.js';
import type { Roster } from '../../homework/assignments/types.js';
import { checkinCardImage } from '../checkin/checkin-cards.js';
import { corridorPixels } from './corridor.js';
import { demoExerciseFrames, type DemoSequence } from './demo-frames.js';

/** Longer than a session's default `leaveAfterSeconds`, so each loop is one student's session. */
const EMPTY_CORRIDOR_MS = 8000;
/** The card is held up for the last part of the walk-in and the moment before the first exercise. */
const CARD_MS = 2000;
const CARD_PX = 150;

export interface DemoMirror {
  source: FrameSource;
  sequence: DemoSequence;
  /** Frames in one loop: the student's visit, then the empty corridor. */
  loopFrames: number;
}

/**
 * What the default simulated camera shows: a student of the class walks up, holds their check-in
 * card to the camera, does the mirror's programme and leaves; the corridor stays empty long
 * enough for the session to end, and the next student of the roster comes. A demo of the whole
 * loop: QR check-in, pose, counting, the screen and the district's messages.
 */
export function demoMirror(options: { roster: Roster; classId: string; programme: { exercise: string; reps: number }[]; fps?: number }): DemoMirror {
  const fps = options.fps ?? 15;
  // The demo performs each exercise as often as the programme's first one asks: one loop, one programme.
  const sequence = demoExerciseFrames({ exercise: options.programme.map((p) => p.exercise), reps: options.programme[0]?.reps ?? 5, fps });
  const { width, height, timeline } = sequence;
  const visit = timeline.length;
  const loopFrames = visit + Math.round((EMPTY_CORRIDOR_MS * fps) / 1000);
  const firstExercise = timeline.findIndex((f) => f.activity === 'exercise');
  const cardFrames = Math.round((CARD_MS * fps) / 1000);
  const cardFrom = Math.max(0, firstExercise - cardFrames + Math.round(fps / 2));
  let empty: Promise<Buffer> | null = null;
  // Each student's card is drawn once: the card frames of every loop reuse it.
  const cards = new Map<string, Promise<Buffer>>();
  const cardOf = (studentId: string): Promise<Buffer> => {
    let card = cards.get(studentId);
    if (!card) cards.set(studentId, (card = checkinCardImage(options.classId, studentId, CARD_PX)));
    return card;
  };

  const frame = async (index: number): Promise<Buffer> => {
    const loop = Math.floor(index / loopFrames);
    const i = index % loopFrames;
    if (i >= visit) return (empty ??= corridorPixels(width, height).then((rgb) => sharp(rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer()));
    const person = await sequence.render(i);
    const student = options.roster.students[loop % Math.max(1, options.roster.students.length)];
    if (!student || i < cardFrom || i >= cardFrom + cardFrames) return person;
    // Held in front of the chest, between the shoulders and the hips.
    const k = timeline[i]!.keypoints;
    const cx = ((k[5]!.x + k[6]!.x + k[11]!.x + k[12]!.x) / 4) * width;
    const cy = ((k[5]!.y + k[6]!.y + k[11]!.y + k[12]!.y) / 4) * height;
    const card = await cardOf(student.id);
    const left = Math.round(Math.min(width - CARD_PX, Math.max(0, cx - CARD_PX / 2)));
    const top = Math.round(Math.min(height - CARD_PX, Math.max(0, cy - CARD_PX / 2)));
    return sharp(person).composite([{ input: card, left, top }]).jpeg({ quality: 85 }).toBuffer();
  };
  return { source: { kind: 'generator', frame }, sequence, loopFrames };
}
