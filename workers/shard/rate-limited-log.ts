/**
 * A log for bad input that cannot become a second outage: at most `linesPerWindow` lines
 * per reason in each window; the rest are counted, and the first line of the next window
 * for that reason carries how many were suppressed. Time and output are injected.
 */
export interface RateLimitedLogOptions {
  linesPerWindow: number;
  windowMs: number;
  now: () => number;
  write: (fields: Record<string, unknown>, message: string) => void;
}

interface ReasonWindow {
  startMs: number;
  written: number;
  suppressed: number;
}

export class RateLimitedLog {
  readonly #options: RateLimitedLogOptions;
  readonly #windows = new Map<string, ReasonWindow>();

  constructor(options: RateLimitedLogOptions) {
    this.#options = options;
  }

  /** Writes `message` with `fields` and `reason`, unless this reason's window is spent. */
  log(reason: string, fields: Record<string, unknown>, message: string): void {
    const nowMs = this.#options.now();
    let window = this.#windows.get(reason);
    if (window === undefined || nowMs - window.startMs >= this.#options.windowMs) {
      const suppressed = window?.suppressed ?? 0;
      window = { startMs: nowMs, written: 0, suppressed: 0 };
      this.#windows.set(reason, window);
      if (suppressed > 0) {
        this.#options.write({ reason, count: suppressed }, 'bad input log lines suppressed');
      }
    }

    // Window spent: count, write nothing; the next window reports the count.
    if (window.written >= this.#options.linesPerWindow) {
      window.suppressed++;
      return;
    }
    window.written++;
    this.#options.write({ ...fields, reason }, message);
  }
}
