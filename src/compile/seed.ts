/**
 * Per-layer initialiser seeds: a hash of the spec seed and the layer's NAME, so a layer's initial
 * weights depend only on what it is called, never on how many layers were built before it
 * (inserting a layer leaves every other layer's initial weights unchanged).
 */
export function layerSeed(specSeed: number, name: string): number {
  // FNV-1a, 32-bit, over "seed:name".
  let h = 0x811c9dc5;
  const text = `${specSeed}:${name}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // tfjs seeds are plain numbers fed to seedrandom; keep them positive 31-bit ints.
  return (h >>> 0) & 0x7fffffff;
}
