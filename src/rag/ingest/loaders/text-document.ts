/** Documents from decoded text, by kind: markdown, plain text or HTML. */
import { htmlDocument } from './html.ts';
import { markdownDocument, type LoadedText } from './markdown.ts';

export type TextKind = 'markdown' | 'text' | 'html';

/** A document from text of a known kind. */
export function textDocument(kind: TextKind, text: string, source: string): LoadedText {
  switch (kind) {
    case 'markdown':
      return markdownDocument(text, source);
    case 'html':
      return htmlDocument(text, source);
    case 'text':
      return { document: { source, text, mimeType: 'text/plain', metadata: {} }, warnings: [] };
  }
}
