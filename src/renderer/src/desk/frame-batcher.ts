/**
 * What the batcher needs of the display's frame clock. The page's requestAnimationFrame by default; a test (or a
 * worker without a display) passes its own.
 */
export interface FrameClock {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

/** The browser's frame clock, looked up at call time so that importing this module needs no DOM. */
const animationFrames: FrameClock = {
  request: (callback) => requestAnimationFrame(() => callback()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

/**
 * Coalesces bursts of engine events into one piece of work per animation frame. Event handlers only update plain
 * state and call `schedule()`; the flush (a chart update, a React state change) runs at most once a frame, however
 * many ticks arrived, so a thousand ticks a second cost sixty redraws.
 */
export class FrameBatcher {
  private handle: number | null = null;
  private disposed = false;

  constructor(
    private readonly flush: () => void,
    private readonly frames: FrameClock = animationFrames,
  ) {}

  /** Asks for one flush on the next frame; calls before that frame share it. Does nothing once disposed. */
  schedule(): void {
    if (this.handle !== null || this.disposed) return;
    this.handle = this.frames.request(() => {
      this.handle = null;
      if (!this.disposed) this.flush();
    });
  }

  /** Whether a flush is waiting for its frame. */
  get pending(): boolean {
    return this.handle !== null;
  }

  /** Drops a waiting flush and refuses new ones (the component using it unmounted). */
  dispose(): void {
    this.disposed = true;
    if (this.handle !== null) this.frames.cancel(this.handle);
    this.handle = null;
  }
}
