import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load-config.ts';
import { sampleRateFromEnv } from '../config/otlp-env.ts';
import { SAMPLE_DOCS } from '../testing/temp-plumb.ts';
import { wireGatewayPlumb } from '../testing/wire-gateway-plumb.ts';
import { timeOrderedTraceId } from './random-id.ts';
import { keepsTrace, traceIdFraction } from './trace-sampling.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('keepsTrace', () => {
  it('reads the random low bits of the id as a fraction, so a rate keeps about that share', () => {
    expect(traceIdFraction('0'.repeat(32))).toBe(0);
    expect(traceIdFraction(`${'f'.repeat(19)}8000000000000`)).toBe(0.5);
    expect(traceIdFraction('f'.repeat(32))).toBeLessThan(1);
    const ids = Array.from({ length: 4000 }, () => timeOrderedTraceId());
    const kept = ids.filter((traceId) => keepsTrace({ traceId, status: 'ok' }, 0.25)).length / ids.length;
    expect(kept).toBeGreaterThan(0.2);
    expect(kept).toBeLessThan(0.3);
  });

  it('keeps every failed trace, everything at 1 and no successful one at 0', () => {
    const traceId = `${'0'.repeat(19)}${'f'.repeat(13)}`;
    expect(keepsTrace({ traceId, status: 'ok' }, 0.99)).toBe(false);
    expect(keepsTrace({ traceId, status: 'error' }, 0)).toBe(true);
    expect(keepsTrace({ traceId, status: 'ok' }, 1)).toBe(true);
    expect(keepsTrace({ traceId: '0'.repeat(32), status: 'ok' }, 0)).toBe(false);
  });
});

describe('tracing.sampleRate', () => {
  it('comes from the file, else from OpenTelemetry\'s sampler variables, else keeps everything', () => {
    expect(validateConfig({}, 'test', {}).tracing.sampleRate).toBe(1);
    expect(validateConfig({}, 'test', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).tracing.sampleRate).toBe(0.1);
    expect(validateConfig({ tracing: { sampleRate: 0.5 } }, 'test', { OTEL_TRACES_SAMPLER: 'always_off' }).tracing.sampleRate).toBe(0.5);
    expect(sampleRateFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' })).toBe(0);
    expect(sampleRateFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' })).toBe(0.25);
    expect(sampleRateFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio' })).toBe(1);
    expect(sampleRateFromEnv({})).toBeUndefined();
  });

  it('refuses rates outside 0–1 and samplers it does not have, saying what to use', () => {
    expect(() => validateConfig({ tracing: { sampleRate: 1.5 } }, 'plumb.yaml', {})).toThrow(/tracing\.sampleRate/);
    expect(() => sampleRateFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'ten percent' })).toThrow(/from 0 to 1/);
    expect(() => sampleRateFromEnv({ OTEL_TRACES_SAMPLER: 'jaeger_remote' })).toThrow(expect.objectContaining({ message: expect.stringMatching(/does not support/), hint: expect.stringMatching(/always_on, always_off or traceidratio/) }));
  });

  it('stores the sampled traces and every failed one, while the ledger books every request', async () => {
    const { plumb, close } = await wireGatewayPlumb({ tracing: { sampleRate: 0.5 } });
    closers.push(close);
    await plumb.addDocuments(SAMPLE_DOCS, { tenantId: 'acme' });
    // RAG answers store their traces (many spans); sampling decides which.
    const asked: string[] = [];
    for (let i = 0; i < 40; i++) asked.push((await plumb.ask(`Which port does the server listen on? (${i})`, { tenantId: 'acme' })).traceId);
    await expect(plumb.chat({ messages: [{ role: 'user', content: 'Please fail.' }] }, { model: 'fast', tenantId: 'acme' })).rejects.toThrow(/refused/);
    const failedRow = (await plumb.store.listLedger('acme')).find((row) => row.status !== 'ok')!;

    const stored = new Set((await plumb.listTraces({ tenantId: 'acme', limit: 100 })).map((t) => t.traceId));
    expect(stored.has(failedRow.traceId!)).toBe(true);
    // Exactly the answers whose trace id falls under the rate: some kept, some not (2^-40 odds of either failing by chance).
    const expected = asked.filter((traceId) => traceIdFraction(traceId) < 0.5);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(asked.length);
    expect([...stored].sort()).toEqual([...expected, failedRow.traceId!].sort());
    // Every request was booked all the same: the failed chat and each answer's model call.
    expect((await plumb.store.listLedger('acme')).length).toBeGreaterThanOrEqual(asked.length + 1);

    const dropped = asked.find((traceId) => !stored.has(traceId))!;
    await expect(plumb.getTrace(dropped, { tenantId: 'acme' })).rejects.toMatchObject({ code: 'not_found', hint: expect.stringMatching(/keeps 50% of traces \(tracing\.sampleRate\)/) });
  });
});
