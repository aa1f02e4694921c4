/** The registry of file types plumb can load, chosen by extension. */
import path from 'node:path';

export type FileKind = 'markdown' | 'text' | 'html' | 'pdf' | 'json' | 'jsonl';

export interface FileType {
  kind: FileKind;
  /** MIME type of the documents the loader produces (tells the chunker what structure to expect). */
  mimeType: string;
}

const BY_EXTENSION: Record<string, FileType> = {
  '.md': { kind: 'markdown', mimeType: 'text/markdown' },
  '.markdown': { kind: 'markdown', mimeType: 'text/markdown' },
  '.txt': { kind: 'text', mimeType: 'text/plain' },
  '.html': { kind: 'html', mimeType: 'text/html' },
  '.htm': { kind: 'html', mimeType: 'text/html' },
  '.pdf': { kind: 'pdf', mimeType: 'application/pdf' },
  // Records hold plain text in a field; the file's own type says nothing about the text's structure.
  '.json': { kind: 'json', mimeType: 'text/plain' },
  '.jsonl': { kind: 'jsonl', mimeType: 'text/plain' },
};

/** The file type for a path, or undefined when no loader handles its extension. */
export function fileTypeOf(filePath: string): FileType | undefined {
  return BY_EXTENSION[path.extname(filePath).toLowerCase()];
}

/** Extensions with a loader, e.g. [".md", ".pdf"]. */
export function supportedExtensions(): string[] {
  return Object.keys(BY_EXTENSION);
}
