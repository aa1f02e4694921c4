/** Markdown files: front matter into metadata, title from front matter or the first `# ` heading. */
import type { DocumentInput } from '../../../core/document.ts';
import { splitFrontMatter } from './front-matter.ts';

export interface LoadedText {
  document: DocumentInput;
  warnings: string[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const H1 = /^ {0,3}# +(.+?)(?:\s+#+)?\s*$/;

/** A markdown document from its text. */
export function markdownDocument(text: string, source: string): LoadedText {
  const { body, data, warning } = splitFrontMatter(text);
  const fromFrontMatter = typeof data['title'] === 'string' && data['title'].trim() !== '' ? data['title'].trim() : undefined;
  const title = fromFrontMatter ?? firstH1(body);
  const metadata = { ...data };
  delete metadata['title'];
  const document: DocumentInput = { source, text: body, mimeType: 'text/markdown', metadata };
  if (title !== undefined) document.title = title;
  return { document, warnings: warning ? [warning] : [] };
}

/** The text of the first level-1 ATX heading outside code fences. */
export function firstH1(markdown: string): string | undefined {
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1] ?? '';
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const heading = H1.exec(line);
    if (heading?.[1]) return heading[1].trim();
  }
  return undefined;
}
