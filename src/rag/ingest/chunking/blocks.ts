/** Splits a section into blocks: paragraphs, heading lines and (in markdown) whole code fences. */
import { FenceTracker, forEachLine, parseHeading } from './markdown-lines.ts';
import { trimRange, type TextRange } from './text-range.ts';

export type BlockKind = 'paragraph' | 'heading' | 'code';

export interface Block extends TextRange {
  kind: BlockKind;
}

/** Blocks of [start, end); `structured` turns on heading and code-fence recognition. */
export function splitBlocks(text: string, range: TextRange, structured: boolean): Block[] {
  const blocks: Block[] = [];
  let paragraphStart: number | null = null;
  let paragraphEnd = range.start;
  let codeStart: number | null = null;
  const fences = new FenceTracker();

  const closeParagraph = (): void => {
    if (paragraphStart !== null) push(blocks, text, paragraphStart, paragraphEnd, 'paragraph');
    paragraphStart = null;
  };

  forEachLine(text, range.start, range.end, (lineStart, lineEnd) => {
    const line = text.slice(lineStart, lineEnd);
    if (structured) {
      if (codeStart !== null) {
        if (fences.feed(line)) {
          push(blocks, text, codeStart, lineEnd, 'code');
          codeStart = null;
        }
        return;
      }
      if (fences.feed(line)) {
        closeParagraph();
        codeStart = lineStart;
        return;
      }
      if (parseHeading(line)) {
        closeParagraph();
        push(blocks, text, lineStart, lineEnd, 'heading');
        return;
      }
    }
    if (line.trim() === '') {
      closeParagraph();
      return;
    }
    paragraphStart ??= lineStart;
    paragraphEnd = lineEnd;
  });
  closeParagraph();
  // An unclosed fence runs to the end of the section, as CommonMark renders it.
  if (codeStart !== null) push(blocks, text, codeStart, range.end, 'code');
  return blocks;
}

function push(blocks: Block[], text: string, start: number, end: number, kind: BlockKind): void {
  const range = trimRange(text, start, end);
  if (range.end > range.start) blocks.push({ ...range, kind });
}
