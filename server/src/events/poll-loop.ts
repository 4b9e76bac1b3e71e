import type { Logger } from 'pino';

/**
 * The loop every background worker shares (outbox relay, webhook deliveries, routing): run every
 * `pollMs`, run soon when poked, never two rounds at once (a poke during a round runs one more after
 * it), and stop by waiting for the round in flight.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly options: {
      pollMs: number;
      run: () => Promise<unknown>;
      logger: Logger;
      /** Logged with the error when a round fails. */
      failure: string;
      /** Called on each periodic tick, before the round (e.g. to mark time-driven work as due). */
      onTick?: () => void;
    },
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.options.onTick?.();
      this.poke();
      this.timer = setTimeout(tick, this.options.pollMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // The failure is logged by launch; the caller of poke does not wait for it.
    this.launch().catch(() => undefined);
  }

  /**
   * Runs one round now, after the one in flight, with no other round beside it (tests and benchmarks
   * await this after moving a clock: a round racing with it could take over its work and finish later).
   * A failure is logged and also rejects the returned promise.
   */
  async runOnce(beforeRound?: () => void): Promise<void> {
    while (this.running) await this.running;
    beforeRound?.();
    await this.launch();
  }

  private launch(): Promise<void> {
    const round = this.options.run().then(() => undefined);
    this.running = round
      .catch((err) => this.options.logger.error({ err }, this.options.failure))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.poke();
        }
      });
    return round;
  }

  /** Resolves when the round in flight (if any) is over. */
  async idle(): Promise<void> {
    await this.running;
  }
}
