/** Golden cases as JSONL text: one case per line, the format `plumb eval run --golden` reads. */
import type { GoldenCase } from '../types.ts';

/** JSONL for the cases, ending in a newline (empty string for no cases). */
export function toGoldenJsonl(cases: readonly GoldenCase[]): string {
  return cases.map((c) => JSON.stringify(c)).join('\n') + (cases.length > 0 ? '\n' : '');
}
