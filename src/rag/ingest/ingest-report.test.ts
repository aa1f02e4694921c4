import { describe, expect, it } from 'vitest';
import { emptyIngestReport, formatIngestReport, type IngestReport } from './ingest-report.ts';

describe('formatIngestReport', () => {
  it('summarises counts and throughput, groups skips by reason and caps long lists', () => {
    const report: IngestReport = {
      ...emptyIngestReport(),
      documents: { inserted: 12, replaced: 3, unchanged: 40, failed: 1 },
      chunks: 250,
      tokens: 98_000,
      durationMs: 2500,
      chunksPerSecond: 100,
      tokensPerSecond: 39_200,
      skipped: [
        ...Array.from({ length: 7 }, (_, i) => ({ path: `img${i}.png`, reason: 'unsupported_type' as const, message: 'no loader' })),
        { path: 'scan.pdf', reason: 'empty', message: 'no text layer' },
      ],
      warnings: Array.from({ length: 12 }, (_, i) => `data.jsonl: line ${i + 1}: invalid JSON; skipped it`),
    };
    const text = formatIngestReport(report);
    expect(text).toContain('documents: 12 inserted, 3 replaced, 40 unchanged, 1 failed');
    expect(text).toContain('chunks: 250 (98000 tokens) in 2.5 s — 100 chunks/s, 39200 tokens/s');
    expect(text).toContain('skipped: 8');
    expect(text.indexOf('unsupported_type (7)')).toBeLessThan(text.indexOf('empty (1)'));
    expect(text).toContain('    scan.pdf: no text layer');
    expect(text).toContain('    … and 2 more');
    expect(text).not.toContain('img6.png');
    expect(text).toContain('warnings: 12');
    expect(text).toContain('  … and 2 more');
  });

  it('leaves out empty sections', () => {
    const text = formatIngestReport({ ...emptyIngestReport(), durationMs: 12 });
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('in 12 ms');
  });
});
