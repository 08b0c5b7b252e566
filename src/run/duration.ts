/** Durations a run is given (`--time-limit`): `90s`, `45m`, `2h`, `1h30m`, `1.5h`. */
const PART = /(\d+(?:\.\d+)?)(h|m|s)/gy;
const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000 } as const;

/** Milliseconds, or null when `text` is not a positive duration with units. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === "") return null;
  PART.lastIndex = 0;
  let ms = 0;
  let end = 0;
  for (let m = PART.exec(t); m !== null; m = PART.exec(t)) {
    ms += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    end = PART.lastIndex;
  }
  return end === t.length && ms > 0 ? Math.round(ms) : null;
}
