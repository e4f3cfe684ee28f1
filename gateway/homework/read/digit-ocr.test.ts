import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { OCR_LINE_HEIGHT, recogniseLine } from './digit-ocr.js';

async function line(svgText: string, width: number): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${OCR_LINE_HEIGHT}"><rect width="100%" height="100%" fill="#fff"/>${svgText}</svg>`;
  return sharp(Buffer.from(svg)).greyscale().raw().toBuffer();
}

describe('digit OCR (PP-OCRv4 recognition, ONNX, from the npm package)', () => {
  it('reads printed digits with high confidence', async () => {
    const grey = await line('<text x="8" y="38" font-size="36" font-family="DejaVu Sans">42</text>', 96);
    expect(await recogniseLine(grey, 96)).toMatchObject({ text: '42', confidence: expect.any(Number) });
    expect((await recogniseLine(grey, 96)).confidence).toBeGreaterThan(0.9);
  });

  it('reads a hand-drawn 7 and says nothing for an empty line', async () => {
    const seven = await line('<path d="M10 8 L38 8 L20 42" fill="none" stroke="#000" stroke-width="3" stroke-linecap="round"/>', 48);
    expect((await recogniseLine(seven, 48)).text).toBe('7');
    expect(await recogniseLine(await line('', 48), 48)).toEqual({ text: '', confidence: 0 });
  });
});
