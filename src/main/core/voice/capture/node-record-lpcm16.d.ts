/** The parts of node-record-lpcm16 1.0.1 we use (the package ships no types). */
declare module 'node-record-lpcm16' {
  import type { ChildProcess } from 'node:child_process';
  import type { Readable } from 'node:stream';

  interface Recording {
    process: ChildProcess;
    stop(): void;
    pause(): void;
    resume(): void;
    stream(): Readable;
  }

  const recorder: { record(options?: Record<string, unknown>): Recording };
  export default recorder;
}
