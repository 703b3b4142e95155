import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';

export interface LogFileOptions {
  path: string;
  /** A file is rotated before a write would take it past this size. */
  maxBytes: number;
  /** Rotated files kept besides the live one: PATH.1 (newest) to PATH.<maxFiles>. */
  maxFiles: number;
  /** Lines waiting for the disk, in bytes; past it new lines are dropped and counted. */
  maxQueuedBytes: number;
  onError(err: unknown): void;
}

/**
 * NDJSON hand-off for a host agent (Datadog Agent, the Collector's filelog receiver), which
 * tails PATH and follows renames. `append` never waits: lines queue in memory and one
 * write at a time drains them. A failing disk (ENOSPC) costs the lines of that write,
 * counted as dropped, and the next write tries again.
 */
export class LogFile {
  readonly #options: LogFileOptions;
  #queue: string[] = [];
  #queuedBytes = 0;
  #handle: FileHandle | null = null;
  #sizeBytes = 0;
  #draining: Promise<void> | null = null;
  written = 0;
  dropped = 0;

  constructor(options: LogFileOptions) {
    this.#options = options;
  }

  append(line: string): void {
    const bytes = Buffer.byteLength(line) + 1;
    if (this.#queuedBytes + bytes > this.#options.maxQueuedBytes) {
      this.dropped++;
      return;
    }
    this.#queue.push(line);
    this.#queuedBytes += bytes;
    this.#draining ??= this.#drain().finally(() => (this.#draining = null));
  }

  /** Resolves once every queued line has been written or dropped. */
  async flush(): Promise<void> {
    while (this.#draining !== null) await this.#draining;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#handle?.close();
    this.#handle = null;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const lines = this.#queue;
      this.#queue = [];
      this.#queuedBytes = 0;
      try {
        await this.#writeLines(lines);
        this.written += lines.length;
      } catch (err) {
        this.dropped += lines.length;
        this.#options.onError(err);
        // Reopen on the next write: the handle may be the thing that failed.
        await this.#handle?.close().catch(() => undefined);
        this.#handle = null;
      }
    }
  }

  async #writeLines(lines: string[]): Promise<void> {
    // Fill the live file up to maxBytes, rotating between chunks; a lone line larger than
    // maxBytes still gets a file of its own rather than being lost.
    await this.#open();
    let chunk = '';
    for (const line of lines) {
      const text = `${line}\n`;
      const chunkBytes = Buffer.byteLength(chunk);
      const projected = this.#sizeBytes + chunkBytes + Buffer.byteLength(text);
      if (projected > this.#options.maxBytes && this.#sizeBytes + chunkBytes > 0) {
        await this.#write(chunk);
        chunk = '';
        await this.#rotate();
      }
      chunk += text;
    }
    if (chunk !== '') await this.#write(chunk);
  }

  async #write(text: string): Promise<void> {
    if (text === '') return;
    const handle = await this.#open();
    const buffer = Buffer.from(text);
    await handle.write(buffer);
    this.#sizeBytes += buffer.length;
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle !== null) return this.#handle;
    this.#handle = await open(this.#options.path, 'a');
    this.#sizeBytes = (await stat(this.#options.path)).size;
    return this.#handle;
  }

  async #rotate(): Promise<void> {
    const { path, maxFiles } = this.#options;
    await this.#handle?.close();
    this.#handle = null;
    await rm(`${path}.${maxFiles}`, { force: true });
    for (let index = maxFiles - 1; index >= 1; index--) {
      await rename(`${path}.${index}`, `${path}.${index + 1}`).catch(ignoreMissing);
    }
    await rename(path, `${path}.1`).catch(ignoreMissing);
    this.#sizeBytes = 0;
  }
}

function ignoreMissing(err: unknown): void {
  if ((err as { code?: string }).code !== 'ENOENT') throw err;
}
