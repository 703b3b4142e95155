import type { DropReason } from '../errors.js';
import type { IngestSnapshot, PushReceiver } from '../protocol.js';

/**
 * Running totals of the push receivers, kept on the main thread (which sees every answer)
 * and sent with each tick. Keys come from code only: receivers, the routes' status codes
 * and the reasons workers put in their acks.
 */
export class PushCounters {
  readonly #requests = new Map<string, [PushReceiver, number, number]>();
  readonly #refused = new Map<string, [PushReceiver, DropReason, number]>();

  countRequest(receiver: PushReceiver, status: number): void {
    const key = `${receiver} ${status}`;
    const entry = this.#requests.get(key);
    if (entry === undefined) this.#requests.set(key, [receiver, status, 1]);
    else entry[2]++;
  }

  countRefused(receiver: PushReceiver, refused: Partial<Record<DropReason, number>>): void {
    for (const [reason, count] of Object.entries(refused) as Array<[DropReason, number]>) {
      const key = `${receiver} ${reason}`;
      const entry = this.#refused.get(key);
      if (entry === undefined) this.#refused.set(key, [receiver, reason, count]);
      else entry[2] += count;
    }
  }

  snapshot(): Pick<IngestSnapshot, 'pushRequests' | 'pushRefusedSamples'> {
    return {
      pushRequests: [...this.#requests.values()].map(([r, s, n]) => [r, s, n]),
      pushRefusedSamples: [...this.#refused.values()].map(([r, reason, n]) => [r, reason, n]),
    };
  }
}
