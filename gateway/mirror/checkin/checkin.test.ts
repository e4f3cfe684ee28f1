import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { checkinCardImage, printCheckinCards } from './checkin-cards.js';
import { checkinCodeText, parseCheckinCode } from './checkin-code.js';
import { findCheckinCard } from './qr-card-reader.js';
import { StudentDirectory } from './student-directory.js';

const roster = { classId: '5b', students: [{ id: 's01', name: 'Ana Li' }, { id: 's02', name: 'Ben Wu' }] };

/** A 640×480 corridor-grey camera frame with the card held up at (x, y), `size` pixels wide. */
async function frameWithCard(size: number, x: number, y: number, studentId = 's02'): Promise<Buffer> {
  const card = await checkinCardImage('5b', studentId, size);
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#6b7078' } })
    .composite([{ input: card, left: x, top: y }])
    .jpeg({ quality: 80 })
    .toBuffer();
}

describe('check-in cards', () => {
  it('say which student of which class, and nothing else is taken for one', () => {
    expect(parseCheckinCode(checkinCodeText({ classId: '5b', studentId: 's01' }))).toEqual({ classId: '5b', studentId: 's01' });
    for (const other of ['https://example.org', 'CHECKIN:2:5b:s01', 'CHECKIN:1:5b', 'CHECKIN:1:5b:s01:extra', 'CHECKIN:1:5 b:s01', 'HW1:algebra:1']) expect(parseCheckinCode(other), other).toBeNull();
    expect(() => checkinCodeText({ classId: '5b', studentId: 'a:b' })).toThrow(/studentId/);
  });

  it('are found in a camera frame, small and off-centre', async () => {
    expect(await findCheckinCard(await frameWithCard(120, 420, 60))).toEqual({ classId: '5b', studentId: 's02' });
    expect(await findCheckinCard(await frameWithCard(200, 100, 200, 's01'))).toEqual({ classId: '5b', studentId: 's01' });
    const empty = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#6b7078' } }).jpeg().toBuffer();
    expect(await findCheckinCard(empty)).toBeNull();
  });

  it('name only students on a roster; card UIDs come from the settings', () => {
    const directory = new StudentDirectory(new Map([['5b', roster]]), () => [{ card: '0a1b2c3d', student: 's01' }]);
    expect(directory.byCode({ classId: '5b', studentId: 's02' })).toEqual({ studentId: 's02', name: 'Ben Wu', classId: '5b' });
    expect(directory.byCode({ classId: '5b', studentId: 's99' })).toBeNull();
    expect(directory.byCode({ classId: '6a', studentId: 's01' })).toBeNull();
    expect(directory.byCard('0A1B2C3D')).toEqual({ studentId: 's01', name: 'Ana Li', classId: '5b' });
    expect(directory.byCard('FFFF')).toBeNull();
  });

  it('print ten to a page, each code readable from the printed sheet', async () => {
    const many = { classId: '5b', students: Array.from({ length: 12 }, (_, i) => ({ id: `s${String(i + 1).padStart(2, '0')}`, name: `Student ${i + 1}` })) };
    const pdf = await printCheckinCards(many, '5b');
    const dir = mkdtempSync(join(tmpdir(), 'cards-'));
    writeFileSync(join(dir, 'cards.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '100', '-gray', '-png', join(dir, 'cards.pdf'), join(dir, 'page')]);
    // Two pages; the second holds cards 11 and 12. Card 11 (top left) cut out and read.
    const page2 = join(dir, 'page-2.png');
    const { width } = await sharp(page2).metadata();
    const card = await sharp(page2).extract({ left: 0, top: 0, width: Math.round(width! / 2), height: 400 }).jpeg().toBuffer();
    expect(await findCheckinCard(card)).toEqual({ classId: '5b', studentId: 's11' });
  });
});
