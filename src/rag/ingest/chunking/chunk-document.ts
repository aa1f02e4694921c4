/**
 * The chunker: heading sections → blocks → units (split recursively until each fits) → packed
 * chunks with overlap. Every chunk is an exact slice of the document text: charStart/charEnd
 * index it, so citations and highlights can point back into the original.
 */
import type { ChunkDraft } from '../../../core/document.ts';
import { getTokenizer, type TokenEncoding, type Tokenizer } from '../../../core/tokenizer.ts';
import { splitBlocks } from './blocks.ts';
import { resolveChunkOptions, type ChunkOptions } from './chunk-options.ts';
import { packUnits } from './pack-units.ts';
import { RangeTokenCounter } from './range-token-counter.ts';
import { splitSections } from './sections.ts';
import { blocksToUnits } from './units.ts';

/** MIME types whose text carries markdown structure (HTML is loaded as markdown-style text). */
const STRUCTURED_MIME_TYPES = new Set(['text/markdown', 'text/x-markdown', 'text/html']);

const tokenizers = new Map<TokenEncoding, Tokenizer>();

/** Splits a document's text into chunks of at most maxTokens, following its heading structure. */
export function chunkDocument(doc: { text: string; mimeType: string }, options: ChunkOptions = {}): ChunkDraft[] {
  const resolved = resolveChunkOptions(options);
  const structured = STRUCTURED_MIME_TYPES.has(doc.mimeType.split(';')[0]?.trim().toLowerCase() ?? '');
  const counter = new RangeTokenCounter(doc.text, tokenizerFor(resolved.encoding));
  const chunks: ChunkDraft[] = [];
  for (const section of splitSections(doc.text, structured)) {
    const units = blocksToUnits(splitBlocks(doc.text, section, structured), counter, resolved.maxTokens);
    chunks.push(...packUnits(units, counter, { ...resolved, headingPath: section.headingPath }));
  }
  return chunks;
}

function tokenizerFor(encoding: TokenEncoding): Tokenizer {
  let tokenizer = tokenizers.get(encoding);
  if (!tokenizer) {
    tokenizer = getTokenizer(encoding);
    tokenizers.set(encoding, tokenizer);
  }
  return tokenizer;
}
