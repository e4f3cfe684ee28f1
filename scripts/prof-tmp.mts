import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { layoutAssignment } from '../gateway/homework/layout/layout.js';
import { AssignmentCatalogue, readPage } from '../gateway/homework/read/page-reader.js';
import { synthesizeScan, CLEAN_200 } from '../gateway/homework/synth/synthesize.js';
import { seeded } from '../gateway/util/random.js';
sharp.concurrency(1);
const a = JSON.parse(readFileSync('gateway/homework/assignments/examples/fractions-week3.json', 'utf8'));
const cat = new AssignmentCatalogue(); cat.add(a);
const { image } = await synthesizeScan(a, layoutAssignment(a)[0]!, { title: 'x', subject: 'y', studentId: 's' }, { ...CLEAN_200, jpegQuality: 85 }, seeded(1));
const sum = { decodeMs: 0, locateMs: 0, fieldsMs: 0, total: 0 };
for (let i = 0; i < 5; i++) await readPage(image, cat);
const N = 20;
for (let i = 0; i < N; i++) { const t = performance.now(); const r = await readPage(image, cat); sum.total += performance.now() - t; for (const k of ['decodeMs','locateMs','fieldsMs'] as const) sum[k] += r.timings[k]; }
console.log(Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, (v / N).toFixed(1)])));
