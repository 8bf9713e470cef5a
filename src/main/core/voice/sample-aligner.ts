/**
 * Cuts a byte stream of 16-bit PCM into whole samples. A pipe can split a sample across two chunks; the odd byte is
 * kept and put in front of the next chunk, so a reader never sees a sample shifted by one byte (which turns speech
 * into full-scale noise).
 */
export class SampleAligner {
  private carry: number | null = null;

  /** The whole samples of `chunk` after what was left over from the last one (possibly empty). */
  align(chunk: Buffer): Buffer {
    let pcm = chunk;
    if (this.carry !== null) {
      pcm = Buffer.concat([Buffer.from([this.carry]), pcm]);
      this.carry = null;
    }
    if (pcm.length % 2 === 1) {
      this.carry = pcm[pcm.length - 1] as number;
      pcm = pcm.subarray(0, pcm.length - 1);
    }
    return pcm;
  }
}
