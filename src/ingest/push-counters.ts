import type { DropReason } from '../errors.js';
import type { IngestSnapshot, PushAck, PushReceiver } from '../protocol.js';

/**
 * Running totals of the push receivers, kept on the main thread (which sees every answer)
 * and sent with each tick. Keys come from code only: receivers, the routes' status codes
 * and the reasons workers put in their acks.
 */
export class PushCounters {
  readonly #requests = new Map<string, [PushReceiver, number, number]>();
  readonly #refused = new Map<string, [PushReceiver, DropReason, number]>();
  readonly #refusedBodies = new Map<string, [PushReceiver, DropReason, number]>();

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

  /** A body refused whole (413, 415, or a 400 for a body a shard could not read). */
  countRefusedBody(receiver: PushReceiver, reason: DropReason): void {
    const key = `${receiver} ${reason}`;
    const entry = this.#refusedBodies.get(key);
    if (entry === undefined) this.#refusedBodies.set(key, [receiver, reason, 1]);
    else entry[2]++;
  }

  snapshot(): Pick<IngestSnapshot, 'pushRequests' | 'pushRefusedSamples' | 'pushRefusedBodies'> {
    return {
      pushRequests: [...this.#requests.values()].map(([r, s, n]) => [r, s, n]),
      pushRefusedSamples: [...this.#refused.values()].map(([r, reason, n]) => [r, reason, n]),
      pushRefusedBodies: [...this.#refusedBodies.values()].map(([r, reason, n]) => [r, reason, n]),
    };
  }
}

/** Why a shard refused a body whole: its decoders put exactly that one reason in `refused`. */
export function bodyReasonOf(ack: PushAck): DropReason {
  return (Object.keys(ack.refused)[0] as DropReason | undefined) ?? 'malformed_body';
}
