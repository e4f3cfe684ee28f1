import { pick, seeded } from '../../util/random.js';

/** How the simulated student looks; every colour is a CSS hex colour. */
export interface PersonStyle {
  skin: string;
  hair: string;
  shirt: string;
  trousers: string;
  shoes: string;
  /** PE shorts show the knees, which MoveNet needs to see a knee lifted towards the camera; long trousers hide them. */
  shorts: boolean;
}

// Skin tones from light to dark, with everyday school sports clothes: MoveNet must work for all.
const SKINS = ['#f1c8a8', '#e0ac87', '#c68c65', '#9c6644', '#6f4a32'];
const HAIRS = ['#2b1d14', '#4a3020', '#7a5230', '#1a1a1a', '#b08850'];
const SHIRTS = ['#d63c3c', '#2f6fbf', '#2e9e5b', '#e0a020', '#7a4fb0', '#e8e8e8'];
const TROUSERS = ['#2a2f45', '#3a3a3a', '#1f3d6b', '#4b4b58'];
const SHOES = ['#f2f2f2', '#222222', '#3b5fa0'];

export const DEFAULT_STYLE: PersonStyle = { skin: '#e0ac87', hair: '#3b2618', shirt: '#d63c3c', trousers: '#2a2f45', shoes: '#f2f2f2', shorts: true };

/** A reproducible student for a seed. */
export function styleFor(seed: number): PersonStyle {
  const rand = seeded(seed);
  return { skin: pick(rand, SKINS), hair: pick(rand, HAIRS), shirt: pick(rand, SHIRTS), trousers: pick(rand, TROUSERS), shoes: pick(rand, SHOES), shorts: true };
}

/** A colour made lighter (amount > 0) or darker (amount < 0), for shading. */
export function shade(hex: string, amount: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (shift: number) => {
    const c = (n >> shift) & 0xff;
    const v = amount >= 0 ? c + (255 - c) * amount : c * (1 + amount);
    return Math.round(Math.max(0, Math.min(255, v)))
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(16)}${channel(8)}${channel(0)}`;
}
