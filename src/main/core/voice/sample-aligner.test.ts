import { describe, expect, it } from 'vitest';
import { SampleAligner } from './sample-aligner';

describe('SampleAligner', () => {
  it('gives whole samples and carries an odd byte into the next chunk', () => {
    const samples = Buffer.alloc(8);
    for (let i = 0; i < 4; i++) samples.writeInt16LE([1000, -2000, 3000, -4000][i] as number, i * 2);
    const a = new SampleAligner();
    const parts = [a.align(samples.subarray(0, 3)), a.align(samples.subarray(3, 4)), a.align(samples.subarray(4))];
    expect(parts.map((p) => p.length)).toEqual([2, 2, 4]);
    expect(Buffer.concat(parts)).toEqual(samples);
    expect(a.align(Buffer.from([7])).length).toBe(0);
  });
});
