import { describe, expect, it } from 'vitest';
import { limitsConfigSchema } from '../limits/limits-config-schema.ts';
import { budgetsConfigSchema } from './budget-config-schema.ts';

describe('limits and budgets config', () => {
  it('fills defaults: memory backend, hard mode, output caps', () => {
    expect(budgetsConfigSchema.parse({ tenants: { acme: { usd: { daily: 5 } } } })).toEqual({
      backend: 'memory',
      tenants: { acme: { usd: { daily: 5 }, mode: 'hard' } },
      defaultMaxOutputTokens: 4096,
    });
    expect(limitsConfigSchema.parse({})).toEqual({ backend: 'memory', tenants: {}, providers: {}, defaultMaxOutputTokens: 1024 });
  });

  it('accepts a Redis backend and per-tenant and per-provider rpm/tpm', () => {
    const parsed = limitsConfigSchema.parse({ backend: { redis: 'redis://127.0.0.1:6379' }, tenants: { '*': { rpm: 10 } }, providers: { openai: { rpm: 500, tpm: 200000 } } });
    expect(parsed.backend).toEqual({ redis: 'redis://127.0.0.1:6379' });
    expect(parsed.providers['openai']).toEqual({ rpm: 500, tpm: 200000 });
  });

  it('names the key that holds a bad value', () => {
    const modeError = budgetsConfigSchema.safeParse({ tenants: { acme: { mode: 'strict' } } });
    expect(modeError.success).toBe(false);
    expect(modeError.error?.issues[0]?.path).toEqual(['tenants', 'acme', 'mode']);
    expect(budgetsConfigSchema.safeParse({ tenants: { acme: { tokens: { daily: 1.5 } } } }).success).toBe(false);
    expect(budgetsConfigSchema.safeParse({ tenants: { acme: { usd: { weekly: 1 } } } }).success).toBe(false);
    expect(limitsConfigSchema.safeParse({ backend: { redis: 'http://x' } }).success).toBe(false);
    expect(limitsConfigSchema.safeParse({ tenants: { a: { rpm: 0 } } }).success).toBe(false);
  });
});
