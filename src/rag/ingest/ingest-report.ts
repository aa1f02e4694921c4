/** The summary of one ingest run, and its rendering for the terminal. */
import type { SkipReason } from './load-result.ts';
import { formatDuration } from './progress-bar.ts';

/** Skip reasons from loading, plus `failed` for a document the pipeline could not store. */
export type IngestSkipReason = SkipReason | 'failed';

export interface IngestReport {
  documents: { inserted: number; replaced: number; unchanged: number; failed: number };
  chunks: number;
  tokens: number;
  skipped: Array<{ path: string; reason: IngestSkipReason; message: string }>;
  warnings: string[];
  durationMs: number;
  chunksPerSecond: number;
  tokensPerSecond: number;
}

/** A report with every count at zero, to fill in during a run. */
export function emptyIngestReport(): IngestReport {
  return {
    documents: { inserted: 0, replaced: 0, unchanged: 0, failed: 0 },
    chunks: 0,
    tokens: 0,
    skipped: [],
    warnings: [],
    durationMs: 0,
    chunksPerSecond: 0,
    tokensPerSecond: 0,
  };
}

const LISTED_PER_REASON = 5;
const LISTED_WARNINGS = 10;

/** A few lines for the terminal: counts, throughput, then skips grouped by reason and the first warnings. */
export function formatIngestReport(report: IngestReport): string {
  const { inserted, replaced, unchanged, failed } = report.documents;
  const lines = [
    `documents: ${inserted} inserted, ${replaced} replaced, ${unchanged} unchanged, ${failed} failed`,
    `chunks: ${report.chunks} (${report.tokens} tokens) in ${formatElapsed(report.durationMs)}` +
      ` — ${Math.round(report.chunksPerSecond)} chunks/s, ${Math.round(report.tokensPerSecond)} tokens/s`,
  ];

  if (report.skipped.length > 0) {
    lines.push(`skipped: ${report.skipped.length}`);
    const byReason = new Map<string, IngestReport['skipped']>();
    for (const entry of report.skipped) byReason.set(entry.reason, [...(byReason.get(entry.reason) ?? []), entry]);
    for (const [reason, entries] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
      lines.push(`  ${reason} (${entries.length})`);
      for (const entry of entries.slice(0, LISTED_PER_REASON)) lines.push(`    ${entry.path}: ${entry.message}`);
      if (entries.length > LISTED_PER_REASON) lines.push(`    … and ${entries.length - LISTED_PER_REASON} more`);
    }
  }

  if (report.warnings.length > 0) {
    lines.push(`warnings: ${report.warnings.length}`);
    for (const warning of report.warnings.slice(0, LISTED_WARNINGS)) lines.push(`  ${warning}`);
    if (report.warnings.length > LISTED_WARNINGS) lines.push(`  … and ${report.warnings.length - LISTED_WARNINGS} more`);
  }
  return lines.join('\n');
}

function formatElapsed(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms / 1000);
}
