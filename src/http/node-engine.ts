import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  BodyResult,
  HttpEngine,
  HttpExchange,
  HttpHandler,
  HttpServer,
  SendOutcome,
} from './exchange.js';

/** node:http behind the HttpExchange shape: the fallback when no uWS binding loads. */
export const nodeHttpEngine: HttpEngine = {
  name: 'node-http',
  isNative: false,
  listen(host: string, port: number, handler: HttpHandler): Promise<HttpServer> {
    const server = http.createServer((request, response) => {
      handler(new NodeExchange(request, response));
    });
    // Slow clients may not hold a connection open for long (slow-loris).
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
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
  },
};

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

  constructor(request: http.IncomingMessage, response: http.ServerResponse) {
    this.#request = request;
    this.#response = response;
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
        resolve(result);
      };
      this.#request.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > limitBytes) {
          // Stop reading: the rest of the body is not worth receiving.
          this.#request.pause();
          finish({ kind: 'too_large' });
          return;
        }
        chunks.push(chunk);
      });
      this.#request.on('end', () => finish({ kind: 'body', bytes: Buffer.concat(chunks) }));
      this.#request.on('aborted', () => finish({ kind: 'aborted' }));
      this.#request.on('error', () => finish({ kind: 'aborted' }));
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
