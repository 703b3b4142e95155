import { MessageChannel } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogBodyFormat } from '../../../../src/protocol.js';
import { LogWorker } from '../../../../workers/logs/log-worker.js';
import {
  ExportLogsServiceRequest,
  ExportLogsServiceResponse,
} from '../../../../workers/logs/otlp-logs-schema.js';

const RECEIVED_AT_MS = 1_796_000_000_000;
const channels: MessageChannel[] = [];

afterEach(() => {
  for (const channel of channels.splice(0)) channel.port1.close();
});

function createWorker(maxInflatedBytes = 1024): LogWorker {
  const channel = new MessageChannel();
  channels.push(channel);
  return new LogWorker({
    port: channel.port1,
    tailRecordsPerService: 10,
    maxServices: 10,
    maxInflatedBytes,
    statsIntervalMs: 1000,
    file: null,
    onFileError: () => undefined,
  });
}

function ingest(worker: LogWorker, body: Uint8Array, isGzip: boolean, format: LogBodyFormat) {
  const copy = new Uint8Array(body).buffer;
  return worker.handle({
    kind: 'ingest',
    id: 7,
    body: copy,
    isGzip,
    format,
    receivedAtMs: RECEIVED_AT_MS,
  });
}

const RECORD = Buffer.from('{"service":"api","message":"a"}');

describe('LogWorker', () => {
  it('inflates a gzip body and counts its bytes as received', () => {
    const worker = createWorker();
    const body = gzipSync(RECORD);
    expect(ingest(worker, body, true, 'records')).toEqual({
      kind: 'ingested',
      id: 7,
      accepted: 1,
      refused: {},
    });
    expect(worker.stats().bytes).toBe(body.length);
  });

  it('refuses a body that inflates past the bound as body_too_large', () => {
    const worker = createWorker(1024);
    const bomb = gzipSync(Buffer.alloc(1025, 0x20));
    expect(ingest(worker, bomb, true, 'records')).toMatchObject({
      accepted: 0,
      refused: { body_too_large: 1 },
    });
    expect(worker.stats().refused).toEqual({ body_too_large: 1 });
  });

  it('refuses a body marked gzip that is not as bad_gzip', () => {
    const worker = createWorker();
    expect(ingest(worker, RECORD, true, 'records')).toMatchObject({ refused: { bad_gzip: 1 } });
  });

  it('decodes OTLP protobuf and answers with an empty ExportLogsServiceResponse', () => {
    const worker = createWorker();
    const request = ExportLogsServiceRequest.fromObject({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '1796000000123456789',
                  severityNumber: 17,
                  body: { stringValue: 'x' },
                },
              ],
            },
          ],
        },
      ],
    });
    const answer = ingest(
      worker,
      ExportLogsServiceRequest.encode(request).finish(),
      false,
      'otlp-protobuf',
    );
    expect(answer).toMatchObject({ accepted: 1, refused: {} });
    const response = (answer as { otlpResponse: Uint8Array }).otlpResponse;
    expect(ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(response))).toEqual(
      {},
    );

    const query = { service: 'cart', severity: '', sinceMs: 0, limit: 10 } as const;
    expect(worker.handle({ kind: 'query', id: 8, query })).toEqual({
      kind: 'queried',
      id: 8,
      records: [
        {
          time: '2026-11-30T00:53:20.123Z',
          severity: 'error',
          service: 'cart',
          message: 'x',
          attributes: {},
        },
      ],
    });
  });

  it('refuses bytes that are not OTLP protobuf as malformed_record', () => {
    const worker = createWorker();
    const answer = ingest(worker, new Uint8Array([0xff, 0xff, 0xff]), false, 'otlp-protobuf');
    expect(answer).toMatchObject({ accepted: 0, refused: { malformed_record: 1 } });
  });
});
