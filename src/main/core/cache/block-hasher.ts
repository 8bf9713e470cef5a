import { createHash, type Hash, hash } from 'node:crypto';
import type { Bar } from '../../../shared/domain/market';
import { BAR_FIELDS, packBars } from './bar-fingerprint';

/** Bars per block unless a caller chooses otherwise: 64 one-minute bars, about an hour. */
export const DEFAULT_BLOCK_SIZE = 64;

function checkBlockSize(blockSize: number): void {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 65_536) {
    throw new RangeError(`A block holds 1 to 65536 bars, not ${blockSize}`);
  }
}

/** h_{-1}: depends on the block size, so chains of different block sizes never share a hash. */
function chainSeed(blockSize: number): Buffer {
  return hash('sha256', `swaggy-prefix/1|b${blockSize}`, 'buffer');
}

function tailDigest(chain: Buffer, partialBlock: Hash, inBlock: number): string {
  return createHash('sha256').update(chain).update(partialBlock.digest()).update(`|tail${inBlock}`).digest('base64url');
}

function link(prev: Buffer, blockDigest: Buffer): Buffer {
  return createHash('sha256').update(prev).update(blockDigest).digest();
}

/**
 * Chained block hashes, like vLLM's prefix cache: h_i = H(h_{i-1} ‖ H(block_i)), where a block is the raw bytes of
 * `blockSize` consecutive bars. h_i identifies the whole prefix of (i + 1) × blockSize bars, so equal hashes mean
 * equal prefixes. A trailing partial block gets no hash. Returned as base64url strings.
 */
export function chainedBlockHashes(bars: readonly Bar[], blockSize: number = DEFAULT_BLOCK_SIZE): string[] {
  checkBlockSize(blockSize);
  const out: string[] = [];
  let prev = chainSeed(blockSize);
  for (let start = 0; start + blockSize <= bars.length; start += blockSize) {
    prev = link(prev, hash('sha256', packBars(bars, start, start + blockSize), 'buffer'));
    out.push(prev.toString('base64url'));
  }
  return out;
}

/**
 * The rolling form of {@link chainedBlockHashes}: appending a bar costs one 48-byte hash update (plus one link per
 * finished block), and {@link prefixDigest} names the exact prefix seen so far, partial block included, so the
 * streaming state after any bar can be stored and found again.
 */
export class BlockHasher {
  private chain: Buffer;
  private block: Hash = createHash('sha256');
  private inBlock = 0;
  private n = 0;
  private lastT = Number.NEGATIVE_INFINITY;
  private readonly one = new Float64Array(BAR_FIELDS);

  constructor(readonly blockSize: number = DEFAULT_BLOCK_SIZE) {
    checkBlockSize(blockSize);
    this.chain = chainSeed(blockSize);
  }

  /** Bars hashed so far. */
  get count(): number {
    return this.n;
  }

  /** Open time of the last bar hashed (−Infinity before the first). */
  get lastBarT(): number {
    return this.lastT;
  }

  /** Hashes one bar; returns the new chain hash when it completed a block, null otherwise. */
  append(bar: Bar): string | null {
    const one = this.one;
    one[0] = bar.t;
    one[1] = bar.o;
    one[2] = bar.h;
    one[3] = bar.l;
    one[4] = bar.c;
    one[5] = bar.v;
    this.block.update(one);
    this.n++;
    this.lastT = bar.t;
    if (++this.inBlock < this.blockSize) return null;
    return this.closeBlock(this.block.digest());
  }

  /** Hashes the whole block `bars[start .. start + blockSize)` at once; only at a block boundary. */
  appendBlock(bars: readonly Bar[], start: number): string {
    if (this.inBlock !== 0) throw new Error('appendBlock needs the hasher at a block boundary');
    const end = start + this.blockSize;
    if (end > bars.length) throw new RangeError(`No full block at ${start} in ${bars.length} bars`);
    this.n += this.blockSize;
    this.lastT = (bars[end - 1] as Bar).t;
    this.inBlock = this.blockSize;
    return this.closeBlock(hash('sha256', packBars(bars, start, end), 'buffer'));
  }

  private closeBlock(blockDigest: Buffer): string {
    this.chain = link(this.chain, blockDigest);
    this.block = createHash('sha256');
    this.inBlock = 0;
    return this.chain.toString('base64url');
  }

  /**
   * Names the prefix of every bar hashed so far: the chain hash at a block boundary, else H(chain ‖ H(partial
   * block) ‖ length), which cannot equal a chain hash (different input length).
   */
  prefixDigest(): string {
    if (this.inBlock === 0) return this.chain.toString('base64url');
    return tailDigest(this.chain, this.block.copy(), this.inBlock);
  }

  /**
   * {@link prefixDigest} of the bars hashed so far, computed only if called: a prefix search snapshots every
   * length of the last block (one hash-state copy each) but finishes the digest of only the few it tries.
   */
  prefixDigestLater(): () => string {
    if (this.inBlock === 0) {
      const digest = this.chain.toString('base64url');
      return () => digest;
    }
    const chain = this.chain;
    const block = this.block.copy();
    const inBlock = this.inBlock;
    let digest: string | null = null;
    return () => {
      digest ??= tailDigest(chain, block, inBlock);
      return digest;
    };
  }
}
