import type { Exposition, ExpositionFormat } from '../protocol.js';

// OpenMetrics is rendered on every flush while scrapers asked for it within this window.
const OPENMETRICS_INTEREST_MS = 5 * 60 * 1000;
const RENDER_WAIT_MS = 2000;

/**
 * The latest renderings the merger handed over. Every scrape is served from here; nothing
 * is rendered per request. The text format is rendered every flush; OpenMetrics only while
 * someone asks for it, and on demand the first time.
 */
export class ExpositionCache {
  readonly #latest: Record<ExpositionFormat, Exposition | null> = { text: null, openmetrics: null };
  readonly #requestRender: (format: ExpositionFormat) => void;
  readonly #now: () => number;
  #openMetricsWantedUntil = 0;
  #waiters: Array<(exposition: Exposition | null) => void> = [];

  constructor(options: { requestRender: (format: ExpositionFormat) => void; now?: () => number }) {
    this.#requestRender = options.requestRender;
    this.#now = options.now ?? Date.now;
  }

  get text(): Exposition | null {
    return this.#latest.text;
  }

  /**
   * The merger is down for good: a frozen rendering would pass for live data, so scrapes
   * answer 503 from now on (renderings that still arrive are taken again).
   */
  withdraw(): void {
    this.#latest.text = null;
    this.#latest.openmetrics = null;
  }

  accept(exposition: Exposition): void {
    this.#latest[exposition.format] = exposition;
    if (exposition.format !== 'openmetrics') return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake(exposition);
  }

  /** True while OpenMetrics scrapes keep coming: the merger then renders both formats. */
  isOpenMetricsWanted(): boolean {
    return this.#now() < this.#openMetricsWantedUntil;
  }

  /** The OpenMetrics rendering as fresh as the text one; null if it does not come in time. */
  async openMetrics(): Promise<Exposition | null> {
    this.#openMetricsWantedUntil = this.#now() + OPENMETRICS_INTEREST_MS;
    const current = this.#latest.openmetrics;
    const text = this.#latest.text;
    if (current !== null && (text === null || current.epoch >= text.epoch)) return current;

    if (this.#waiters.length === 0) this.#requestRender('openmetrics');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
        resolve(null);
      }, RENDER_WAIT_MS);
      const wake = (exposition: Exposition | null): void => {
        clearTimeout(timer);
        resolve(exposition);
      };
      this.#waiters.push(wake);
    });
  }
}
