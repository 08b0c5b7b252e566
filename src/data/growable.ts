/**
 * A byte buffer that grows by doubling as rows arrive. Sources never size buffers from counts
 * claimed by the input (gzip trailers, headers), only from what they have actually read.
 */
export class GrowableBytes {
  private buf: Uint8Array;
  length = 0;

  /**
   * `maxBytes`: the buffer never grows past it (a source's memory cap); room asked for beyond it
   * is not made, so the caller checks its cap before counting bytes in (writes past the end of a
   * typed array are dropped).
   */
  constructor(initial = 1 << 16, private readonly maxBytes = Infinity) {
    this.buf = new Uint8Array(Math.min(initial, maxBytes));
  }

  /** Make room for `extra` more bytes and return the backing array (valid until the next call). */
  reserve(extra: number): Uint8Array {
    const need = this.length + extra;
    if (need > this.buf.length && this.buf.length < this.maxBytes) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      cap = Math.min(cap, this.maxBytes);
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    return this.buf;
  }

  push(byte: number): void {
    this.reserve(1)[this.length++] = byte;
  }

  /** A right-sized copy of the contents (drops the spare capacity). */
  toArray(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
