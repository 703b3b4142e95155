import { BUSY_MESSAGE, type BodyBudget } from './body-budget.js';
import type {
  BodyResult,
  HttpEngine,
  HttpExchange,
  HttpHandler,
  HttpServer,
  SendOutcome,
} from './exchange.js';
import { STATUS_TEXT } from './exchange.js';

/**
 * uWebSockets.js behind the HttpExchange shape. Typed structurally: the two packages that
 * provide a native binding (see engine.ts) ship different typings of the same API.
 */
interface UwsResponse {
  onAborted(handler: () => void): UwsResponse;
  onData(handler: (chunk: ArrayBuffer, isLast: boolean) => void): UwsResponse;
  cork(handler: () => void): UwsResponse;
  writeStatus(status: string): UwsResponse;
  writeHeader(key: string, value: string): UwsResponse;
  end(body?: Uint8Array | string, closeConnection?: boolean): UwsResponse;
  tryEnd(body: Uint8Array, totalSize: number): [ok: boolean, done: boolean];
  onWritable(handler: (offset: number) => boolean): UwsResponse;
  getWriteOffset(): number;
  close(): UwsResponse;
}

interface UwsRequest {
  getMethod(): string;
  getUrl(): string;
  getQuery(): string | undefined;
  forEach(callback: (key: string, value: string) => void): void;
}

interface UwsApp {
  any(pattern: string, handler: (response: UwsResponse, request: UwsRequest) => void): UwsApp;
  listen(host: string, port: number, callback: (socket: unknown) => void): UwsApp;
  close?(): void;
}

export interface UwsModule {
  App(): UwsApp;
  us_listen_socket_close(socket: unknown): void;
  us_socket_local_port(socket: unknown): number;
}

/**
 * Slow clients: uWS closes an HTTP connection that has not completed a request within its
 * fixed 10 s idle timeout, however slowly bytes keep coming (checked every 4 s), so there is
 * no option to set here; node:http needs one (node-engine.ts).
 */
export function createUwsEngine(uws: UwsModule, name: string, budget: BodyBudget): HttpEngine {
  return {
    name,
    isNative: true,
    listen(host: string, port: number, handler: HttpHandler): Promise<HttpServer> {
      const app = uws.App().any('/*', (response, request) => {
        handler(new UwsExchange(response, request, budget));
      });
      return new Promise((resolve, reject) => {
        app.listen(host, port, (socket) => {
          if (!socket) {
            reject(new Error(`cannot listen on ${host}:${port}`));
            return;
          }
          resolve({
            port: uws.us_socket_local_port(socket),
            close: async () => {
              uws.us_listen_socket_close(socket);
              app.close?.();
            },
          });
        });
      });
    },
  };
}

class UwsExchange implements HttpExchange {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly #headers = new Map<string, string>();
  readonly #response: UwsResponse;
  #isAborted = false;
  #hasResponded = false;
  #isBodyUnread = false;
  #writeTimeoutMs = 0;
  #writeTimer: NodeJS.Timeout | undefined;
  #wasCut = false;
  #resolveSent: (outcome: SendOutcome) => void = () => {};
  readonly #sent = new Promise<SendOutcome>((resolve) => (this.#resolveSent = resolve));
  readonly #budget: BodyBudget;

  constructor(response: UwsResponse, request: UwsRequest, budget: BodyBudget) {
    // The request object is only valid during the handler call: copy what routes need.
    this.#response = response;
    this.#budget = budget;
    this.method = request.getMethod().toUpperCase();
    this.path = request.getUrl();
    this.query = request.getQuery() ?? '';
    request.forEach((key, value) => this.#headers.set(key, value));
    response.onAborted(() => this.#markAborted());
  }

  whenSent(): Promise<SendOutcome> {
    return this.#sent;
  }

  setWriteTimeout(ms: number): void {
    this.#writeTimeoutMs = ms;
  }

  #markSent(outcome: SendOutcome = 'sent'): void {
    clearInterval(this.#writeTimer);
    this.#resolveSent(outcome);
  }

  #markAborted(): void {
    this.#isAborted = true;
    this.#markSent(this.#wasCut ? 'cut' : 'left');
  }

  get isAborted(): boolean {
    return this.#isAborted;
  }

  header(name: string): string {
    return this.#headers.get(name) ?? '';
  }

  readBody(limitBytes: number): Promise<BodyResult> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let isDone = false;
      const finish = (result: BodyResult): void => {
        isDone = true;
        // Handed over or dropped either way: the route copies a body out at once.
        this.#budget.give(received);
        resolve(result);
      };
      this.#isBodyUnread = true;
      this.#response.onData((chunk, isLast) => {
        if (isDone) return;
        if (received + chunk.byteLength > limitBytes) {
          finish({ kind: 'too_large' });
          return;
        }
        if (!this.#budget.tryTake(chunk.byteLength)) {
          // Too many bodies at once: answer here; the route only learns the body is gone.
          this.respond(503, { 'content-type': 'text/plain', 'retry-after': '1' }, BUSY_MESSAGE);
          finish({ kind: 'aborted' });
          return;
        }
        received += chunk.byteLength;
        // Copy now: uWS reuses this buffer as soon as the handler returns.
        chunks.push(Buffer.from(new Uint8Array(chunk).slice()));
        if (isLast) {
          this.#isBodyUnread = false;
          finish({ kind: 'body', bytes: Buffer.concat(chunks) });
        }
      });
      this.#response.onAborted(() => {
        this.#markAborted();
        if (!isDone) finish({ kind: 'aborted' });
      });
    });
  }

  respond(status: number, headers: Record<string, string>, body?: Uint8Array | string): void {
    if (this.#hasResponded || this.#isAborted) return;
    this.#hasResponded = true;
    this.#response.cork(() => {
      this.#response.writeStatus(`${status} ${STATUS_TEXT[status] ?? ''}`);
      for (const [key, value] of Object.entries(headers)) this.#response.writeHeader(key, value);
      // A body left unread (refused as too large) cannot be skipped: close after answering.
      if (this.#isBodyUnread || typeof body === 'string' || body === undefined) {
        this.#response.end(body ?? '', this.#isBodyUnread);
        this.#markSent();
        return;
      }
      this.#sendInPieces(body);
    });
  }

  /**
   * tryEnd writes what the socket takes now and keeps no copy of the rest (end() would
   * buffer all of it per slow reader); onWritable resumes from the offset reached.
   */
  #sendInPieces(body: Uint8Array): void {
    const startOffset = this.#response.getWriteOffset();
    const [, isDone] = this.#response.tryEnd(body, body.byteLength);
    if (isDone) {
      this.#markSent();
      return;
    }
    this.#response.onWritable((offset) => {
      const [isOk, isDoneNow] = this.#response.tryEnd(
        body.subarray(offset - startOffset),
        body.byteLength,
      );
      if (isDoneNow) this.#markSent();
      return isOk;
    });
    if (this.#writeTimeoutMs > 0) this.#cutWhenStalled(startOffset);
  }

  /**
   * Looks at the write offset four times per timeout period and cuts once it has not moved
   * for a whole period: soon enough to beat uWS's own 10 s idle timeout, which is not counted.
   */
  #cutWhenStalled(startOffset: number): void {
    let lastOffset = startOffset;
    let lastProgressMs = Date.now();
    this.#writeTimer = setInterval(
      () => {
        if (this.#isAborted) return;
        const offset = this.#response.getWriteOffset();
        if (offset !== lastOffset) {
          lastOffset = offset;
          lastProgressMs = Date.now();
          return;
        }
        if (Date.now() - lastProgressMs < this.#writeTimeoutMs) return;
        this.#wasCut = true;
        this.#response.close();
      },
      Math.max(25, this.#writeTimeoutMs / 4),
    );
    this.#writeTimer.unref();
  }
}
