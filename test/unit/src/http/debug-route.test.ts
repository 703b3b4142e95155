import { describe, expect, it } from 'vitest';
import { createKillWorkerRoute } from '../../../../src/http/debug-route.js';
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
