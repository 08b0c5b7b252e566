/**
 * A byte buffer that grows by doubling as rows arrive. Sources never size buffers from counts
 * claimed by the input (gzip trailers, headers), only from what they have actually read.
 */
export class GrowableBytes {
  private buf: Uint8Array;
  length = 0;

  constructor(initial = 1 << 16) {
    this.buf = new Uint8Array(initial);
  }

  /** Make room for `extra` more bytes and return the backing array (valid until the next call). */
  reserve(extra: number): Uint8Array {
    const need = this.length + extra;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
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
