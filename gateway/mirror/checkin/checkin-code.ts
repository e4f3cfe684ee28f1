/**
 * What a student's check-in card says in its QR code: `CHECKIN:1:<class>:<student>`. The version
 * lets a later card format coexist with cards already printed; a page's QR code or any other
 * code shown to the camera is not taken for a card.
 */
const PREFIX = 'CHECKIN';
const VERSION = '1';
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface CardHolder {
  classId: string;
  studentId: string;
}

export function checkinCodeText(holder: CardHolder): string {
  for (const [key, value] of Object.entries(holder)) {
    if (!ID.test(value)) throw new Error(`check-in card ${key} must be 1–64 letters, digits, _ or -, got ${JSON.stringify(value)}`);
  }
  return [PREFIX, VERSION, holder.classId, holder.studentId].join(':');
}

/** The holder a card's code names; null for anything that is not one of our check-in cards. */
export function parseCheckinCode(text: string): CardHolder | null {
  const [prefix, version, classId, studentId, ...rest] = text.trim().split(':');
  if (prefix !== PREFIX || version !== VERSION || rest.length > 0) return null;
  if (classId === undefined || studentId === undefined || !ID.test(classId) || !ID.test(studentId)) return null;
  return { classId, studentId };
}
