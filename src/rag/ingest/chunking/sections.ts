/** Splits structured text (markdown, or HTML rendered with `#` headings) into heading sections. */
import { FenceTracker, forEachLine, parseHeading } from './markdown-lines.ts';
import { trimRange, type TextRange } from './text-range.ts';

export interface Section extends TextRange {
  /** Headings above and including this section's own, outermost first. */
  headingPath: string[];
}

interface OpenSection extends Section {
  /** False while the section holds nothing but heading lines. */
  hasBody: boolean;
}

/**
 * Heading sections of the text, trimmed, with empty ones dropped. A section that is only a
 * heading directly followed by a subheading joins that subsection, so no chunk is a lone title.
 */
export function splitSections(text: string, structured: boolean): Section[] {
  if (!structured) return finish(text, [{ start: 0, end: text.length, headingPath: [], hasBody: true }]);
  const sections: OpenSection[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let current: OpenSection = { start: 0, end: text.length, headingPath: [], hasBody: false };
  const fences = new FenceTracker();

  forEachLine(text, 0, text.length, (lineStart, lineEnd) => {
    const line = text.slice(lineStart, lineEnd);
    const wasInside = fences.inside;
    const isFenceLine = fences.feed(line);
    const heading = !wasInside && !isFenceLine ? parseHeading(line) : undefined;
    if (!heading) {
      if (line.trim() !== '') current.hasBody = true;
      return;
    }
    current.end = lineStart;
    sections.push(current);
    while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= heading.level) stack.pop();
    stack.push(heading);
    current = { start: lineStart, end: text.length, headingPath: stack.map((h) => h.text), hasBody: false };
  });
  sections.push(current);
  return finish(text, mergeHeadingOnly(sections));
}

function mergeHeadingOnly(sections: OpenSection[]): OpenSection[] {
  const merged: OpenSection[] = [];
  let carryStart: number | null = null;
  for (const [i, section] of sections.entries()) {
    if (carryStart !== null) {
      section.start = carryStart;
      carryStart = null;
    }
    const next = sections[i + 1];
    const isHeadingOnly = !section.hasBody && section.headingPath.length > 0;
    if (isHeadingOnly && next && next.headingPath.length > section.headingPath.length) {
      carryStart = section.start;
      continue;
    }
    merged.push(section);
  }
  return merged;
}

function finish(text: string, sections: OpenSection[]): Section[] {
  const result: Section[] = [];
  for (const section of sections) {
    const range = trimRange(text, section.start, section.end);
    if (range.end > range.start) result.push({ ...range, headingPath: section.headingPath });
  }
  return result;
}
