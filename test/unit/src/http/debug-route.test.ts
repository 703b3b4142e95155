import { describe, expect, it } from 'vitest';
import { createKillWorkerRoute, createMergerFaultRoute } from '../../../../src/http/debug-route.js';
import { fakeExchange } from '../../../helpers/fake-exchange.js';

function post(query: string) {
  const armed: Array<[number, string]> = [];
  const route = createKillWorkerRoute((shard, fault) => {
    if (shard !== 0 && shard !== 1) return false;
    armed.push([shard, fault]);
    return true;
  });
  const { exchange, responses } = fakeExchange({ method: 'POST', query });
  route(exchange);
  return { armed, statuses: responses.map((r) => r.status) };
}

describe('createKillWorkerRoute', () => {
  it('arms a throw in the named shard by default, answering 202', () => {
    expect(post('shard=1')).toEqual({ armed: [[1, 'throw']], statuses: [202] });
  });

  it('arms a thread exit when asked', () => {
    expect(post('shard=0&fault=exit')).toEqual({ armed: [[0, 'exit']], statuses: [202] });
  });

  it('answers 400 for a shard that does not exist, arming nothing', () => {
    expect(post('shard=7')).toEqual({ armed: [], statuses: [400] });
  });

  it('answers 400 for an unknown fault, arming nothing', () => {
    expect(post('shard=0&fault=segfault')).toEqual({ armed: [], statuses: [400] });
  });
});

function postMergerFault(query: string) {
  const armed: Array<[string, number]> = [];
  const route = createMergerFaultRoute((fault, delayMs) => {
    armed.push([fault, delayMs]);
    return true;
  });
  const { exchange, responses } = fakeExchange({ method: 'POST', query });
  route(exchange);
  return { armed, statuses: responses.map((r) => r.status) };
}

describe('createMergerFaultRoute', () => {
  const cases: Array<{
    name: string;
    query: string;
    armed: Array<[string, number]>;
    status: number;
  }> = [
    { name: 'throw by default', query: '', armed: [['throw', 0]], status: 202 },
    { name: 'thread exit', query: 'fault=exit', armed: [['exit', 0]], status: 202 },
    { name: 'slow folds', query: 'fault=slow&delay-ms=400', armed: [['slow', 400]], status: 202 },
    { name: 'slow undone', query: 'fault=slow&delay-ms=0', armed: [['slow', 0]], status: 202 },
    { name: 'unknown fault', query: 'fault=segfault', armed: [], status: 400 },
    { name: 'negative delay', query: 'fault=slow&delay-ms=-1', armed: [], status: 400 },
    { name: 'delay past a minute', query: 'fault=slow&delay-ms=60001', armed: [], status: 400 },
    { name: 'fractional delay', query: 'fault=slow&delay-ms=1.5', armed: [], status: 400 },
  ];
  for (const row of cases) {
    it(`answers ${row.status} for ${row.name}`, () => {
      expect(postMergerFault(row.query)).toEqual({ armed: row.armed, statuses: [row.status] });
    });
  }
});
