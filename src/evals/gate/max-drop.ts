/** Parses `--max-drop ndcg@10=0.01,faithfulness=0.02` into metric → largest tolerated drop. */
import { PlumbError } from '../../core/errors.ts';

/** Metric → tolerated drop (≥ 0), in the order given. */
export function parseMaxDrop(spec: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    const metric = eq > 0 ? part.slice(0, eq).trim() : '';
    const value = eq > 0 ? Number(part.slice(eq + 1)) : Number.NaN;
    if (metric === '' || !Number.isFinite(value) || value < 0) {
      throw new PlumbError('bad_request', `--max-drop entry "${part}" is not metric=drop`, { hint: 'e.g. --max-drop ndcg@10=0.01,faithfulness=0.02 (drops are ≥ 0, in the metric\'s units)' });
    }
    out.set(metric, value);
  }
  if (out.size === 0) throw new PlumbError('bad_request', '--max-drop names no metric', { hint: 'e.g. --max-drop ndcg@10=0.01,faithfulness=0.02' });
  return out;
}
