/** JSON shapes the API returns, kept in one place so REST, SSE and CLI --json agree. */
import type { RetrievedChunk } from '../core/document.ts';
import type { AskResult } from '../rag/pipeline/ask.ts';

/** A retrieval hit as the API shows it. */
export function presentChunk(hit: RetrievedChunk) {
  const { chunk } = hit;
  return {
    rank: hit.rank,
    score: hit.score,
    chunkId: chunk.id,
    documentId: chunk.documentId,
    title: hit.document.title,
    source: hit.document.source,
    headingPath: chunk.headingPath,
    charStart: chunk.charStart,
    charEnd: chunk.charEnd,
    tokenCount: chunk.tokenCount,
    text: chunk.text,
    signals: hit.signals,
  };
}

/** An answer with its retrieval, as the API and `plumb ask --json` show it. */
export function presentAskResult(result: AskResult) {
  const { answer } = result;
  return {
    answer: {
      text: answer.text,
      abstained: answer.abstained,
      citations: answer.citations,
      invalidCitations: answer.invalidCitations,
      passages: answer.passages,
      usage: answer.usage,
      cost: answer.cost,
      model: answer.model,
      provider: answer.provider,
      latencyMs: round(answer.latencyMs),
    },
    retrieval: { mode: result.retrieval.mode, latencyMs: round(result.retrieval.latencyMs), chunks: result.retrieval.chunks.map(presentChunk) },
    traceId: result.traceId,
    latencyMs: round(result.latencyMs),
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
