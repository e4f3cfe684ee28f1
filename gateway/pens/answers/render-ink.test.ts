import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { project } from '../../homework/read/homography.js';
import { rasteriseInk } from './ink-raster.js';
import { inkPng, renderInk } from './render-ink.js';

const region = { x: 10, y: 20, w: 3, h: 2 };
const dotAt = { x: 11.3, y: 21.7 };
const dot = [{ points: [dotAt], startedAt: 0, endedAt: 0 }];

describe('ink rendered for the readers and the teacher', () => {
  it('renders a scan-like raster whose registration maps millimetres onto the ink', () => {
    const { raster, registration } = renderInk(dot, region, 12);
    expect([raster.width, raster.height]).toEqual([36, 24]);
    let ink = 0;
    let sumX = 0;
    let sumY = 0;
    for (let y = 0; y < raster.height; y++) {
      for (let x = 0; x < raster.width; x++) {
        const o = (y * raster.width + x) * 3;
        expect(raster.rgb[o + 1]).toBe(raster.rgb[o]);
        expect(raster.rgb[o + 2]).toBe(raster.rgb[o]);
        const darkness = 255 - raster.rgb[o]!;
        ink += darkness;
        // A pixel's centre is half a pixel in from its corner, where the registration puts whole numbers.
        sumX += darkness * (x + 0.5);
        sumY += darkness * (y + 0.5);
      }
    }
    const expected = project(registration.toPixels, dotAt);
    expect(sumX / ink).toBeCloseTo(expected.x, 1);
    expect(sumY / ink).toBeCloseTo(expected.y, 1);
  });

  it('keeps a free answer as a one-channel PNG of the same picture', async () => {
    const png = await inkPng(dot, region, 8);
    expect((await sharp(png).metadata()).channels).toBe(1);
    // Decoded without sharp's default conversion to RGB.
    const grey = await sharp(png).toColourspace('b-w').raw().toBuffer();
    expect(new Uint8Array(grey)).toEqual(rasteriseInk(dot, region, 8).grey);
  });
});
