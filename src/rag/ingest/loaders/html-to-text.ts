/**
 * Renders a DOM subtree as plain text that keeps the structure the chunker needs: headings become
 * markdown `#` lines, <pre> becomes a code fence, list items `- ` lines, table rows `a | b` lines,
 * and other blocks are paragraphs separated by blank lines.
 */

/** The little of the DOM this walker needs (linkedom nodes satisfy it). */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  getAttribute?(name: string): string | null;
}

/** Set on headings before Readability, which renames every <h1> to <h2>, so levels survive. */
export const HEADING_LEVEL_ATTRIBUTE = 'data-plumb-level';

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/** Never content, wherever they appear. */
const SKIPPED_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'embed', 'canvas', 'head', 'title', 'meta', 'link', 'button', 'select', 'input', 'textarea']);

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'html', 'main', 'nav', 'ol', 'p', 'section', 'summary',
  'table', 'tbody', 'thead', 'tfoot', 'ul', 'caption',
]);

interface Block {
  text: string;
  /** List items and table rows join their neighbours with one newline instead of a blank line. */
  tight: boolean;
}

/** Plain text with markdown-style structure for the given element and its descendants. */
export function htmlToText(root: DomNode): string {
  const renderer = new Renderer();
  renderer.walk(root);
  renderer.flush();
  return renderer.result();
}

class Renderer {
  private readonly blocks: Block[] = [];
  private inline = '';
  private prefix = '';
  private tight = false;
  private listDepth = 0;

  walk(node: DomNode): void {
    if (node.nodeType === TEXT_NODE) {
      this.inline += (node.textContent ?? '').replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== ELEMENT_NODE && node.nodeType !== 9 && node.nodeType !== 11) return;
    const tag = node.nodeName.toLowerCase();
    if (SKIPPED_TAGS.has(tag)) return;
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      this.flush();
      const text = collapse(node.textContent ?? '');
      const level = Number(node.getAttribute?.(HEADING_LEVEL_ATTRIBUTE) ?? heading[1]) || Number(heading[1]);
      if (text) this.push(`${'#'.repeat(level)} ${text}`, false);
      return;
    }
    switch (tag) {
      case 'br':
        this.inline += '\n';
        return;
      case 'pre':
        this.flush();
        this.pushCode(node.textContent ?? '');
        return;
      case 'li':
        this.listItem(node);
        return;
      case 'tr':
        this.flush();
        this.tableRow(node);
        return;
    }
    const isBlock = BLOCK_TAGS.has(tag);
    if (isBlock) this.flush();
    const nestedList = tag === 'ul' || tag === 'ol';
    if (nestedList) this.listDepth++;
    this.walkChildren(node);
    if (nestedList) this.listDepth--;
    if (isBlock) this.flush();
  }

  flush(): void {
    const text = this.inline
      .split('\n')
      .map((line) => line.replace(/ {2,}/g, ' ').trim())
      .filter((line) => line !== '')
      .join('\n');
    this.inline = '';
    if (text === '') return;
    this.push(this.prefix + text, this.tight);
    // A list item's later paragraphs are indented continuation, not new bullets.
    this.prefix = ' '.repeat(this.prefix.length);
  }

  result(): string {
    let out = '';
    for (const [i, block] of this.blocks.entries()) {
      if (i > 0) out += block.tight && this.blocks[i - 1]?.tight ? '\n' : '\n\n';
      out += block.text;
    }
    return out;
  }

  private walkChildren(node: DomNode): void {
    for (let i = 0; i < node.childNodes.length; i++) {
      const child = node.childNodes[i];
      if (child) this.walk(child);
    }
  }

  private push(text: string, tight: boolean): void {
    this.blocks.push({ text, tight });
  }

  private pushCode(code: string): void {
    const body = code.replace(/^\n/, '').replace(/\s+$/, '');
    if (body === '') return;
    // A fence longer than any backtick run inside keeps the code from closing it early.
    const longestRun = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longestRun + 1);
    this.push(`${fence}\n${body}\n${fence}`, false);
  }

  private listItem(node: DomNode): void {
    this.flush();
    const saved = { prefix: this.prefix, tight: this.tight };
    this.prefix = `${'  '.repeat(Math.max(0, this.listDepth - 1))}- `;
    this.tight = true;
    this.walkChildren(node);
    this.flush();
    this.prefix = saved.prefix;
    this.tight = saved.tight;
  }

  private tableRow(node: DomNode): void {
    const cells: string[] = [];
    for (let i = 0; i < node.childNodes.length; i++) {
      const cell = node.childNodes[i];
      if (!cell || cell.nodeType !== ELEMENT_NODE) continue;
      const tag = cell.nodeName.toLowerCase();
      if (tag === 'td' || tag === 'th') cells.push(collapse(cell.textContent ?? ''));
    }
    if (cells.some((cell) => cell !== '')) this.push(cells.join(' | '), true);
  }
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
