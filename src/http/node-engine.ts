import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUSY_MESSAGE, BodyBudget } from './body-budget.js';
import type {
  BodyResult,
  HttpEngine,
  HttpExchange,
  HttpHandler,
  HttpServer,
  SendOutcome,
} from './exchange.js';

export interface EngineLimits {
  /** node:http only: a request not complete by then gets 408 (see createNodeHttpEngine). */
  requestTimeoutMs: number;
  /** Request-body bytes held at once over every request (see body-budget.ts). */
  maxInflightBodyBytes: number;
}

/**
 * node:http behind the HttpExchange shape: the fallback when no uWS binding loads.
 *
 * A slow client (slow-loris: headers or body a byte a second) is answered 408 and closed
 * once `requestTimeoutMs` has passed since its request began, headers within at most 10 s
 * of it; node checks every connection at `connectionsCheckingInterval`, so the bound is
 * late by up to a second. uWS needs none of this: it closes any HTTP connection that has
 * not completed a request within its fixed 10 s idle timeout (see uws-engine.ts).
 */
export function createNodeHttpEngine(
  limits: EngineLimits,
  budget = new BodyBudget(limits.maxInflightBodyBytes),
): HttpEngine {
  return {
    name: 'node-http',
    isNative: false,
    listen: (host, port, handler) =>
      listenNode(host, port, handler, limits.requestTimeoutMs, budget),
  };
}

function listenNode(
  host: string,
  port: number,
  handler: HttpHandler,
  requestTimeoutMs: number,
  budget: BodyBudget,
): Promise<HttpServer> {
  const server = http.createServer(
    { connectionsCheckingInterval: Math.min(1000, requestTimeoutMs) },
    (request, response) => {
      handler(new NodeExchange(request, response, budget));
    },
  );
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = Math.min(10_000, requestTimeoutMs);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

class NodeExchange implements HttpExchange {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  #isAborted = false;
  #hasResponded = false;
  #wasCut = false;
  readonly #request: http.IncomingMessage;
  readonly #response: http.ServerResponse;
  readonly #sent: Promise<SendOutcome>;
  readonly #budget: BodyBudget;

  constructor(request: http.IncomingMessage, response: http.ServerResponse, budget: BodyBudget) {
    this.#request = request;
    this.#response = response;
    this.#budget = budget;
    this.method = (request.method ?? 'GET').toUpperCase();
    const url = request.url ?? '/';
    const mark = url.indexOf('?');
    this.path = mark < 0 ? url : url.slice(0, mark);
    this.query = mark < 0 ? '' : url.slice(mark + 1);
    response.on('close', () => {
      if (!response.writableFinished) this.#isAborted = true;
    });
    // 'finish': the last byte went to the kernel; 'close' alone: the client went away or was cut.
    // Node 20 also emits 'finish' when a cut destroys the response, hence the #wasCut check.
    this.#sent = new Promise((resolve) => {
      response.once('finish', () => resolve(this.#wasCut ? 'cut' : 'sent'));
      response.once('close', () => resolve(this.#wasCut ? 'cut' : 'left'));
    });
  }

  whenSent(): Promise<SendOutcome> {
    return this.#sent;
  }

  setWriteTimeout(ms: number): void {
    // The socket's idle timer: any byte the kernel takes from the write queue restarts it.
    this.#response.setTimeout(ms, () => {
      this.#wasCut = true;
      this.#response.destroy();
    });
  }

  get isAborted(): boolean {
    return this.#isAborted;
  }

  header(name: string): string {
    const value = this.#request.headers[name];
    return Array.isArray(value) ? value.join(', ') : (value ?? '');
  }

  readBody(limitBytes: number): Promise<BodyResult> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let isDone = false;
      const finish = (result: BodyResult): void => {
        if (isDone) return;
        isDone = true;
        // Handed over or dropped either way: the route copies a body out at once.
        this.#budget.give(received);
        resolve(result);
      };
      this.#request.on('data', (chunk: Buffer) => {
        if (isDone) return;
        if (received + chunk.length > limitBytes) {
          // Stop reading: the rest of the body is not worth receiving.
          this.#request.pause();
          finish({ kind: 'too_large' });
          return;
        }
        if (!this.#budget.tryTake(chunk.length)) {
          // Too many bodies at once: answer here; the route only learns the body is gone.
          this.#request.pause();
          this.respond(503, { 'content-type': 'text/plain', 'retry-after': '1' }, BUSY_MESSAGE);
          finish({ kind: 'aborted' });
          return;
        }
        received += chunk.length;
        chunks.push(chunk);
      });
      this.#request.on('end', () => finish({ kind: 'body', bytes: Buffer.concat(chunks) }));
      this.#request.on('aborted', () => finish({ kind: 'aborted' }));
      this.#request.on('error', () => finish({ kind: 'aborted' }));
      // A connection closed mid-body (timeout, client gone) must give its bytes back too.
      this.#request.on('close', () => finish({ kind: 'aborted' }));
    });
  }

  respond(status: number, headers: Record<string, string>, body?: Uint8Array | string): void {
    if (this.#hasResponded || this.#isAborted) return;
    this.#hasResponded = true;
    // A body left unread (refused as too large) cannot be skipped: close after answering.
    const isBodyUnread = !this.#request.complete;
    this.#response.writeHead(status, isBodyUnread ? { ...headers, connection: 'close' } : headers);
    this.#response.end(body, () => {
      if (isBodyUnread) this.#request.socket.destroy();
    });
  }
}
