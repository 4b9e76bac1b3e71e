import type { Logger } from 'pino';

/**
 * The loop every background worker shares (outbox relay, webhook deliveries, routing): run every
 * `pollMs`, run soon when poked, never two rounds at once (a poke during a round runs one more after
 * it), and stop by waiting for the round in flight. A round may also start work that runs beside the
 * loop (`runBeside`: the bot's answers, webhook chains), so the next round need not wait for the slowest.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  /** Work started by rounds that runs beside the loop, and the slots it takes. */
  private readonly beside = new Set<Promise<void>>();
  private besideSlots = 0;

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

  /** Stops the timer and waits for the round in flight and for the work running beside the loop. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    while (this.beside.size) await Promise.all(this.beside);
  }

  /** Slots taken by work running beside the loop: a round claims only what its limit leaves free. */
  get busySlots(): number {
    return this.besideSlots;
  }

  /**
   * Starts `task` beside the loop: the round goes on without waiting for it. It holds `slots` until it
   * ends; then the loop is poked, so work waiting for a slot (or for this task's outcome) follows at once.
   * A failure is logged with `failure`.
   */
  runBeside(task: () => Promise<unknown>, options: { slots?: number; failure: string; context?: object }): void {
    const slots = options.slots ?? 1;
    this.besideSlots += slots;
    const p: Promise<void> = task()
      .then(() => undefined)
      .catch((err) => this.options.logger.error({ err, ...options.context }, options.failure))
      .finally(() => {
        this.besideSlots -= slots;
        this.beside.delete(p);
        this.poke();
      });
    this.beside.add(p);
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

  /** Resolves when no round is in flight and nothing runs beside the loop (tests). */
  async idle(): Promise<void> {
    do {
      await this.running;
      await Promise.all(this.beside);
    } while (this.beside.size || this.running);
  }
}
