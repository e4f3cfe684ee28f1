import sharp from 'sharp';

/**
 * A school corridor behind the student: a painted wall with a door, a noticeboard and a skirting
 * board, a vinyl floor in perspective, ceiling light falling off downwards, and grain everywhere.
 * MoveNet was trained on photos; a flat colour behind the figure would be easier than any real
 * classroom, so the test would prove less.
 */
export function corridorSvg(width: number, height: number): string {
  const w = width;
  const h = height;
  const floorY = 0.66 * h;
  const vanishX = 0.5 * w;
  const vanishY = 0.42 * h;
  const floorLines = Array.from({ length: 15 }, (_, i) => {
    const x = ((i - 7) / 7) * 2.2 * w + vanishX;
    const t = (floorY - vanishY) / (h - vanishY);
    return `<line x1="${(vanishX + (x - vanishX) * t).toFixed(1)}" y1="${floorY.toFixed(1)}" x2="${x.toFixed(1)}" y2="${h}" stroke="#8a7a62" stroke-width="1.2" opacity="0.5"/>`;
  }).join('');
  const crossLines = [0.7, 0.76, 0.84, 0.95].map((k) => `<line x1="0" y1="${(k * h).toFixed(1)}" x2="${w}" y2="${(k * h).toFixed(1)}" stroke="#8a7a62" stroke-width="1" opacity="0.4"/>`).join('');
  // Door and noticeboard stay outside the band where a student's arms reach (x ≈ 0.25–0.75), so
  // a brown arm never crosses a brown board: the test measures the figure, not camouflage.
  const board = { x: 0.79 * w, y: 0.22 * h, w: 0.19 * w, h: 0.2 * h };
  const papers = [
    [0.015, 0.08, 0.05, 0.09, '#fdfbf2'],
    [0.075, 0.05, 0.05, 0.08, '#fff6a8'],
    [0.135, 0.09, 0.04, 0.07, '#cfe8ff'],
    [0.03, 0.2, 0.06, 0.06, '#ffd6d6'],
    [0.11, 0.19, 0.06, 0.07, '#fdfbf2'],
  ] as const;
  const paperRects = papers
    .map(([px, py, pw, ph, c]) => `<rect x="${(board.x + px * w).toFixed(1)}" y="${(board.y + (py * board.h) / 0.25).toFixed(1)}" width="${(pw * w).toFixed(1)}" height="${(ph * h).toFixed(1)}" fill="${c}" transform="rotate(${((px * 97) % 5) - 2.5} ${(board.x + px * w).toFixed(1)} ${board.y.toFixed(1)})"/>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
<defs>
<linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#e9e2d0"/><stop offset="1" stop-color="#c9c0a8"/></linearGradient>
<radialGradient id="lamp" cx="0.45" cy="0" r="0.9"><stop offset="0" stop-color="#fff" stop-opacity="0.35"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>
<linearGradient id="floor" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#b9a88a"/><stop offset="1" stop-color="#8f7f66"/></linearGradient>
<linearGradient id="door" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#8d6a48"/><stop offset="1" stop-color="#6f5238"/></linearGradient>
<filter id="grain" x="0" y="0" width="100%" height="100%"><feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="2" seed="3"/><feColorMatrix type="saturate" values="0"/><feComponentTransfer><feFuncA type="linear" slope="0.22"/></feComponentTransfer><feBlend in2="SourceGraphic" mode="multiply"/></filter>
<filter id="blotch" x="0" y="0" width="100%" height="100%"><feTurbulence type="fractalNoise" baseFrequency="0.012" numOctaves="3" seed="8"/><feColorMatrix type="saturate" values="0"/><feComponentTransfer><feFuncA type="linear" slope="0.12"/></feComponentTransfer></filter>
</defs>
<g filter="url(#grain)">
<rect width="${w}" height="${floorY.toFixed(1)}" fill="url(#wall)"/>
<rect x="${(0.03 * w).toFixed(1)}" y="${(0.12 * h).toFixed(1)}" width="${(0.15 * w).toFixed(1)}" height="${(floorY - 0.12 * h).toFixed(1)}" fill="url(#door)" stroke="#5a4330" stroke-width="3"/>
<rect x="${(0.05 * w).toFixed(1)}" y="${(0.16 * h).toFixed(1)}" width="${(0.11 * w).toFixed(1)}" height="${(0.16 * h).toFixed(1)}" fill="#a9c4d6" stroke="#5a4330" stroke-width="2"/>
<circle cx="${(0.16 * w).toFixed(1)}" cy="${(0.43 * h).toFixed(1)}" r="${(0.008 * w).toFixed(1)}" fill="#d8c07a"/>
<rect x="${board.x.toFixed(1)}" y="${board.y.toFixed(1)}" width="${board.w.toFixed(1)}" height="${board.h.toFixed(1)}" fill="#a8744a" stroke="#6b4a2e" stroke-width="4"/>
${paperRects}
<rect x="${(0.21 * w).toFixed(1)}" y="${(0.4 * h).toFixed(1)}" width="${(0.035 * w).toFixed(1)}" height="${(0.05 * h).toFixed(1)}" fill="#f4f4f4" stroke="#aaa"/>
<rect y="${floorY.toFixed(1)}" width="${w}" height="${(h - floorY).toFixed(1)}" fill="url(#floor)"/>
${floorLines}${crossLines}
<rect y="${(floorY - 0.025 * h).toFixed(1)}" width="${w}" height="${(0.025 * h).toFixed(1)}" fill="#5d5448"/>
<rect width="${w}" height="${h}" fill="url(#lamp)"/>
<rect width="${w}" height="${h}" filter="url(#blotch)"/>
</g>
</svg>`;
}

const cache = new Map<string, Promise<Buffer>>();

/** The corridor as raw RGB (width × height × 3), rendered once per size: it is the same every frame. */
export function corridorPixels(width: number, height: number): Promise<Buffer> {
  const key = `${width}x${height}`;
  let pixels = cache.get(key);
  if (!pixels) {
    pixels = sharp(Buffer.from(corridorSvg(width, height))).removeAlpha().raw().toBuffer();
    pixels.catch(() => cache.delete(key));
    cache.set(key, pixels);
  }
  return pixels;
}
