import sharp from 'sharp';

/** Frames in one loop of the test picture: enough for visible motion, little memory (~30 small JPEGs). */
const LOOP_FRAMES = 30;

const rendered = new Map<string, Promise<Buffer[]>>();

function svg(width: number, height: number, t: number): string {
  // A ball on a figure-of-eight over a gradient: motion everywhere in the picture, so a consumer
  // that shows a stale frame, or the same one twice, is easy to see.
  const r = Math.round(Math.min(width, height) / 10);
  const x = Math.round(width / 2 + (width / 2 - r * 1.5) * Math.sin(2 * Math.PI * t));
  const y = Math.round(height / 2 + (height / 2 - r * 1.5) * Math.sin(4 * Math.PI * t));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1d3557"/><stop offset="1" stop-color="#a8dadc"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/><circle cx="${x}" cy="${y}" r="${r}" fill="#e63946"/>
<text x="${r}" y="${height - r}" font-family="sans-serif" font-size="${r}" fill="white">simulated camera</text></svg>`;
}

/** The simulated camera's picture when nothing else is plugged in; rendered once per size, then cycled. */
export function testPicture(width: number, height: number): Promise<Buffer[]> {
  const key = `${width}x${height}`;
  let frames = rendered.get(key);
  if (!frames) {
    frames = Promise.all(Array.from({ length: LOOP_FRAMES }, (_, i) => sharp(Buffer.from(svg(width, height, i / LOOP_FRAMES))).jpeg({ quality: 75 }).toBuffer()));
    // A failed render (e.g. no memory) must not be remembered for ever.
    frames.catch(() => rendered.delete(key));
    rendered.set(key, frames);
  }
  return frames;
}
