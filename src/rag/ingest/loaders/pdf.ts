/** PDF files: the text layer (unpdf / pdf.js), pages joined with blank lines. */
import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import type { DocumentInput } from '../../../core/document.ts';
import { normalizeNewlines } from '../decode-text.ts';
import { skipped, type LoadResult } from '../load-result.ts';

const PAGE_SEPARATOR = '\n\n';

/** A PDF document from its bytes; a broken file is reported as malformed, a scan without text as empty. */
export async function loadPdf(bytes: Uint8Array, source: string): Promise<LoadResult> {
  let pages: string[];
  let title: string | undefined;
  try {
    // verbosity 0: pdf.js would otherwise print repair warnings for every damaged file.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      pages = (await extractText(pdf, { mergePages: false })).text;
      title = await pdfTitle(pdf);
    } finally {
      await pdf.destroy();
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return skipped('malformed', `PDF could not be read (${reason}); check that the file is a complete, unencrypted PDF`);
  }

  const pageStarts: number[] = [];
  let text = '';
  for (const [i, page] of pages.entries()) {
    if (i > 0) text += PAGE_SEPARATOR;
    pageStarts.push(text.length);
    text += normalizeNewlines(page).trim();
  }
  if (text.trim() === '') {
    return skipped('empty', `PDF has ${pages.length} page(s) but no text layer (a scan?); run OCR on it first`);
  }
  // pageStarts[i] is the character offset where page i+1 begins, so a chunk can cite its page.
  const document: DocumentInput = {
    source,
    text,
    mimeType: 'application/pdf',
    metadata: { pageCount: pages.length, pageStarts },
  };
  if (title) document.title = title;
  return { ok: true, documents: [document], warnings: [] };
}

async function pdfTitle(pdf: Parameters<typeof getMeta>[0]): Promise<string | undefined> {
  try {
    const { info } = await getMeta(pdf);
    const title: unknown = info['Title'];
    return typeof title === 'string' && title.trim() !== '' ? title.trim() : undefined;
  } catch {
    return undefined;
  }
}
