/**
 * The drill-down of one case in the HTML report: retrieved chunks, and the claim × chunk
 * attribution grid (colour by verdict) with each claim's evidence span highlighted in its chunk,
 * so a reader tells "retrieval missed it" (no chunk supports the claim) from "the generator
 * ignored it" (a chunk does, elsewhere than cited).
 */
import type { Score } from '../../core/score.ts';
import type { AttributionGrid } from '../judges/judge.ts';
import type { EvalContext } from '../types.ts';
import { escapeHtml } from './html-escape.ts';

/** The grid from a faithfulness score's evidence (`evidence.grid`, or the evidence itself), if any. */
export function gridOf(score: Score | undefined): AttributionGrid | null {
  const evidence = score?.evidence as { grid?: unknown } | undefined;
  const candidate = (evidence && typeof evidence === 'object' && 'grid' in evidence ? evidence.grid : evidence) as Partial<AttributionGrid> | undefined;
  if (!candidate || !Array.isArray(candidate.claims) || !Array.isArray(candidate.cells) || !Array.isArray(candidate.perClaim)) return null;
  return candidate as AttributionGrid;
}

/** The retrieved chunks, ranked. */
export function chunksHtml(contexts: readonly EvalContext[]): string {
  if (contexts.length === 0) return '<p class="muted">no chunks were retrieved</p>';
  const items = contexts
    .map((c, i) => `<li><span class="tag">C${i + 1}</span> <code>${escapeHtml(c.chunkId)}</code> <span class="muted">doc ${escapeHtml(c.documentId)}${c.score !== undefined ? ` · score ${c.score.toFixed(3)}` : ''}</span><div class="chunk">${escapeHtml(c.text)}</div></li>`)
    .join('');
  return `<ol class="chunks">${items}</ol>`;
}

/** The claim × chunk grid and per-claim evidence. */
export function gridHtml(grid: AttributionGrid, contexts: readonly EvalContext[]): string {
  if (grid.claims.length === 0) return '<p class="muted">no claims</p>';
  const chunkIndex = new Map(contexts.map((c, i) => [c.chunkId, i]));
  const cellOf = new Map(grid.cells.map((cell) => [`${cell.claimId}\u0000${cell.chunkId}`, cell]));
  const head = contexts.map((c, i) => `<th title="${escapeHtml(c.chunkId)}">C${i + 1}</th>`).join('');
  const rows = grid.claims
    .map((claim) => {
      const verdict = grid.perClaim.find((v) => v.claimId === claim.id);
      const cells = contexts
        .map((c) => {
          const cell = cellOf.get(`${claim.id}\u0000${c.chunkId}`);
          if (!cell) return '<td class="v-none">·</td>';
          const tip = `${cell.verdict} (${cell.confidence.toFixed(2)})${cell.reasons.length ? `: ${cell.reasons.join('; ')}` : ''}`;
          return `<td class="v-${escapeHtml(cell.verdict)}" title="${escapeHtml(tip)}">${escapeHtml(cell.verdict.slice(0, 1).toUpperCase())}</td>`;
        })
        .join('');
      return `<tr><th class="claim">${escapeHtml(claim.id)} ${escapeHtml(claim.text)}</th>${cells}<td class="v-${escapeHtml(verdict?.verdict ?? 'none')}">${escapeHtml(verdict?.verdict ?? '—')}</td></tr>`;
    })
    .join('');
  const evidence = grid.perClaim
    .map((v) => {
      const claim = grid.claims.find((c) => c.id === v.claimId);
      const cell = v.bestChunkId ? cellOf.get(`${v.claimId}\u0000${v.bestChunkId}`) : undefined;
      const context = v.bestChunkId ? contexts.find((c) => c.chunkId === v.bestChunkId) : undefined;
      const where = v.bestChunkId ? `C${(chunkIndex.get(v.bestChunkId) ?? -1) + 1}` : 'no chunk';
      const span = cell?.evidence && context ? highlighted(context.text, cell.evidence.start, cell.evidence.end) : cell?.evidence ? `<mark>${escapeHtml(cell.evidence.text)}</mark>` : '<span class="muted">no evidence span</span>';
      return `<li><span class="v-${escapeHtml(v.verdict)} pill">${escapeHtml(v.verdict)}</span> ${escapeHtml(claim?.text ?? v.claimId)} <span class="muted">← ${escapeHtml(where)}</span><div class="chunk">${span}</div></li>`;
    })
    .join('');
  return `<table class="grid"><thead><tr><th>claim</th>${head}<th>verdict</th></tr></thead><tbody>${rows}</tbody></table><ul class="evidence">${evidence}</ul>`;
}

/** The chunk text around an evidence span, the span marked (offsets index the chunk text). */
function highlighted(text: string, start: number, end: number): string {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  const before = text.slice(Math.max(0, s - 160), s);
  const after = text.slice(e, e + 160);
  return `${s > 160 ? '…' : ''}${escapeHtml(before)}<mark>${escapeHtml(text.slice(s, e))}</mark>${escapeHtml(after)}${e + 160 < text.length ? '…' : ''}`;
}
