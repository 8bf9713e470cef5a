/**
 * Coalesces bursts of engine events into one piece of work per animation frame. Event handlers only update plain
 * state and call `schedule()`; the flush (a chart update, a React state change) runs at most once a frame, however
 * many ticks arrived, so a thousand ticks a second cost sixty redraws.
 */
export class FrameBatcher {
  private handle: number | null = null;
  private disposed = false;

  constructor(private readonly flush: () => void) {}

  schedule(): void {
    if (this.handle !== null || this.disposed) return;
    this.handle = requestAnimationFrame(() => {
      this.handle = null;
      if (!this.disposed) this.flush();
    });
  }

  dispose(): void {
    this.disposed = true;
    if (this.handle !== null) cancelAnimationFrame(this.handle);
    this.handle = null;
  }
}
