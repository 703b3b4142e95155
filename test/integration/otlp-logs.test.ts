import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as OtlpJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

let daemon: RunningDaemon;

beforeAll(async () => {
  daemon = await startDaemon();
});

afterAll(async () => {
  await daemon.stop();
});

async function tail(service: string): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${daemon.baseUrl}/api/v1/logs?service=${service}`);
  return ((await response.json()) as { records: Array<Record<string, unknown>> }).records;
}

/** Emits two records through the real SDK and its exporter, then flushes the exporter. */
async function emitWith(
  exporter: OtlpJsonExporter | OtlpProtoExporter,
  service: string,
): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
  });
  provider.addLogRecordProcessor(new SimpleLogRecordProcessor(exporter));
  const logger = provider.getLogger('checkout-module');
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'payment failed',
    timestamp: new Date('2026-12-03T15:00:00.123Z'),
    attributes: { 'order.id': 'A17', attempt: 3 },
  });
  logger.emit({ severityNumber: SeverityNumber.INFO2, body: { step: 'retry' } });
  await provider.forceFlush();
  await provider.shutdown();
}

describe('POST /v1/logs with the OpenTelemetry JS logs SDK', () => {
  for (const [encoding, create] of [
    ['protobuf', (url: string) => new OtlpProtoExporter({ url })],
    ['JSON', (url: string) => new OtlpJsonExporter({ url })],
  ] as const) {
    it(`receives records exported as OTLP ${encoding}, with time, severity and attributes`, async () => {
      const service = `otlp-${encoding.toLowerCase()}`;
      await emitWith(create(`${daemon.baseUrl}/v1/logs`), service);

      const records = await tail(service);
      expect(records[0]).toEqual({
        time: '2026-12-03T15:00:00.123Z',
        severity: 'error',
        service,
        message: 'payment failed',
        attributes: { 'order.id': 'A17', attempt: 3 },
      });
      expect(records[1]).toMatchObject({ severity: 'info', message: '{"step":"retry"}' });
      expect(records).toHaveLength(2);

      await daemon.waitForSamples(
        (s) => valueOf(s, 'catalyst_log_records_total', { service, severity: 'error' }) === 1,
        `one error record of ${service} counted`,
      );
    });
  }

  it('refuses records without service.name and says so in partial_success', async () => {
    const body = {
      resourceLogs: [
        {
          resource: { attributes: [] },
          scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' } }] }],
        },
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'named' } }] },
          scopeLogs: [{ logRecords: [{ body: { stringValue: 'kept' }, severityText: 'warn' }] }],
        },
      ],
    };
    const response = await fetch(`${daemon.baseUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: { rejectedLogRecords: 1, errorMessage: 'refused: {"bad_service":1}' },
    });
    expect((await tail('named')).map((r) => [r.severity, r.message])).toEqual([['warn', 'kept']]);
  });

  it('answers 415 to another content type and 400 to a body that is not protobuf', async () => {
    const post = (type: string, body: Uint8Array | string): Promise<Response> =>
      fetch(`${daemon.baseUrl}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
    expect((await post('text/plain', 'x')).status).toBe(415);
    expect((await post('application/x-protobuf', new Uint8Array([0xff, 0xff, 0xff]))).status).toBe(
      400,
    );
  });
});
