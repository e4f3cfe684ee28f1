/**
 * Delay before reconnect attempt `failures` (1 = first retry): "full jitter", a uniform draw
 * between minSeconds and a ceiling that doubles per failure up to maxSeconds. The jitter keeps
 * a whole district's gateways from reconnecting in lockstep after a broker restart.
 */
export function backoffDelayMs(failures: number, minSeconds: number, maxSeconds: number, random: () => number = Math.random): number {
  const min = Math.max(0, minSeconds) * 1000;
  const max = Math.max(min, maxSeconds * 1000);
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  // A 0 s minimum still grows (from 100 ms), or a dead broker would be hammered forever.
  const ceiling = Math.min(max, Math.max(min, 100) * 2 ** exponent);
  return Math.round(min + random() * (ceiling - min));
}
