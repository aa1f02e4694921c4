/**
 * A live answer (`plumb.ask`) as evaluation sees it: the retrieved chunks become the contexts,
 * citation markers become per-sentence chunk ids, and the timings become per-stage latency.
 */
import { parseCitationMarkers } from '../../rag/answer/citations.ts';
import type { AskResult } from '../../rag/pipeline/ask.ts';
import { splitSentences } from '../../text/sentences.ts';
import type { SystemOutput } from '../types.ts';

/** Converts one ask result into the SystemOutput the metrics score. */
export function systemOutputFromAsk(caseId: string, result: AskResult): SystemOutput {
  const { answer, retrieval } = result;
  return {
    caseId,
    answer: answer.text,
    contexts: retrieval.chunks.map((hit) => ({ chunkId: hit.chunk.id, documentId: hit.chunk.documentId, text: hit.chunk.text, score: hit.score })),
    citations: sentenceCitations(answer.text, new Map(answer.passages.map((p) => [p.n, p.chunkId]))),
    abstained: answer.abstained,
    usage: answer.usage,
    costUsd: answer.cost.usd,
    latencyMs: { retrieve: retrieval.latencyMs, generate: answer.latencyMs, total: result.latencyMs },
    traceId: result.traceId,
  };
}

/** Each answer sentence that carries citation markers, with the chunk ids its passage numbers name. */
export function sentenceCitations(text: string, chunkByNumber: ReadonlyMap<number, string>): Array<{ sentence: string; chunkIds: string[] }> {
  const markers = parseCitationMarkers(text);
  if (markers.length === 0) return [];
  const out: Array<{ sentence: string; chunkIds: string[] }> = [];
  for (const sentence of splitSentences(text)) {
    const ids: string[] = [];
    for (const marker of markers) {
      // A marker right after the sentence's full stop ("… 8787. [1]") still belongs to it.
      if (marker.start < sentence.start || marker.start > sentence.end + 1) continue;
      for (const n of marker.numbers) {
        const id = chunkByNumber.get(n);
        if (id !== undefined && !ids.includes(id)) ids.push(id);
      }
    }
    if (ids.length > 0) out.push({ sentence: sentence.text, chunkIds: ids });
  }
  return out;
}
