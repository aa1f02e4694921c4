/** Line-level markdown syntax the chunker cares about: ATX headings and code fences. */

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export interface HeadingLine {
  level: number;
  text: string;
}

/** The heading on this line, if it is an ATX heading (`## Title`). */
export function parseHeading(line: string): HeadingLine | undefined {
  const match = HEADING.exec(line);
  if (!match?.[1]) return undefined;
  return { level: match[1].length, text: (match[2] ?? '').trim() };
}

/** Tracks whether lines are inside a fenced code block. */
export class FenceTracker {
  private open: string | null = null;

  get inside(): boolean {
    return this.open !== null;
  }

  /** Feeds one line; returns true when the line opens or closes a fence. */
  feed(line: string): boolean {
    const match = FENCE.exec(line);
    if (!match?.[1]) return false;
    const marker = match[1];
    if (this.open === null) {
      // A backtick fence's info string may not contain backticks (CommonMark).
      if (marker[0] === '`' && (match[2] ?? '').includes('`')) return false;
      this.open = marker;
      return true;
    }
    if (marker[0] === this.open[0] && marker.length >= this.open.length && (match[2] ?? '').trim() === '') {
      this.open = null;
      return true;
    }
    return false;
  }
}

/** Calls `visit` for each line with its start and end offsets (end excludes the newline). */
export function forEachLine(text: string, start: number, end: number, visit: (lineStart: number, lineEnd: number) => void): void {
  let lineStart = start;
  while (lineStart < end) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 || newline >= end ? end : newline;
    visit(lineStart, lineEnd);
    lineStart = lineEnd + 1;
  }
}
