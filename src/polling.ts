// The polling loop of the background workers (the outbox of messages, the national sync): runs a
// batch every `intervalMs`, counted from the end of the previous run so runs never overlap; a run
// that found a full batch runs again at once, to drain a backlog. A failed run is reported and the
// loop goes on.
export class PollingLoop {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  /** The current loop; a loop that finds itself replaced (stop, then start) ends. */
  private loop: object | null = null;

  constructor(
    /** One batch; resolves true when the batch was full (more may be waiting). */
    private readonly runBatch: () => Promise<boolean>,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(intervalMs: number): void {
    if (this.loop) return;
    const loop = {};
    this.loop = loop;
    const tick = async () => {
      this.timer = null;
      let again = intervalMs;
      // After stop() and start(), the old loop's run may still be in flight: wait, so none overlap.
      await this.inFlight;
      if (this.loop !== loop) return;
      const run = this.runBatch().then(
        (full) => {
          if (full) again = 0;
        },
        (err: unknown) => this.onError(err),
      );
      this.inFlight = run;
      await run;
      if (this.inFlight === run) this.inFlight = null;
      if (this.loop === loop) this.timer = setTimeout(tick, again);
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops polling; resolves once the run in flight, if any, has finished. */
  async stop(): Promise<void> {
    this.loop = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }
}
