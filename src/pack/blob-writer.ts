/** An append-only little-endian byte buffer whose offsets are absolute within the image. */
export class BlobWriter {
  private chunks: Uint8Array[] = [];
  private length = 0;
  private readonly interned = new Map<string, number>();

  /** @param base absolute offset of the blob's first byte in the final image */
  constructor(private readonly base: number) {}

  get size(): number {
    return this.length;
  }

  /** The absolute offset the next append will get, after 4-byte alignment. */
  nextOffset(): number {
    return this.base + ((this.length + 3) & ~3);
  }

  /** Appends bytes at a 4-byte aligned position and returns their absolute offset. */
  append(bytes: Uint8Array): number {
    const pad = ((this.length + 3) & ~3) - this.length;
    if (pad > 0) this.push(new Uint8Array(pad));
    const offset = this.base + this.length;
    this.push(bytes);
    return offset;
  }

  /** Appends bytes once per distinct content (strings, literals) and returns the offset. */
  intern(bytes: Uint8Array): number {
    const key = Buffer.from(bytes).toString("latin1");
    let offset = this.interned.get(key);
    if (offset === undefined) {
      offset = this.append(bytes);
      this.interned.set(key, offset);
    }
    return offset;
  }

  u32List(values: number[]): number {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setUint32(i * 4, v, true));
    return this.append(bytes);
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array((this.length + 3) & ~3);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
}
