/**
 * HTML files: the main content only. Readability picks the article out of a linkedom document;
 * when it finds nothing, the body minus navigation-like elements is used instead.
 */
import { createRequire } from 'node:module';
import type { Readability as ReadabilityClass } from '@mozilla/readability';
import type { parseHTML as ParseHtml } from 'linkedom';
import type { DocumentInput } from '../../../core/document.ts';
import type { JsonObject } from '../../../core/json.ts';
import { HEADING_LEVEL_ATTRIBUTE, htmlToText, type DomNode } from './html-to-text.ts';
import type { LoadedText } from './markdown.ts';

// linkedom and Readability load with the first HTML page, not with plumb: ~130 ms and ~25 MB that a
// server which never ingests HTML does not need. Synchronous (both ship CommonJS), as loading is.
const require = createRequire(import.meta.url);
let dom: { parseHTML: typeof ParseHtml; Readability: typeof ReadabilityClass } | undefined;
function htmlLibraries(): NonNullable<typeof dom> {
  dom ??= {
    parseHTML: (require('linkedom') as { parseHTML: typeof ParseHtml }).parseHTML,
    Readability: (require('@mozilla/readability') as { Readability: typeof ReadabilityClass }).Readability,
  };
  return dom;
}

/** Page chrome rather than content; removed before Readability so it cannot leak into short pages. */
const CHROME_SELECTORS = [
  'script', 'style', 'noscript', 'template', 'nav', 'aside', 'footer', 'form', 'dialog', 'iframe', 'svg',
  '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]', '[role="complementary"]', '[role="search"]',
  '[aria-hidden="true"]', '[hidden]',
].join(',');

interface LinkedomElement extends DomNode {
  textContent: string | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  closest(selector: string): LinkedomElement | null;
  querySelector(selector: string): LinkedomElement | null;
  querySelectorAll(selector: string): ArrayLike<LinkedomElement>;
  remove(): void;
}

interface LinkedomDocument extends DomNode {
  documentElement: LinkedomElement | null;
  body: LinkedomElement | null;
  querySelector(selector: string): LinkedomElement | null;
  querySelectorAll(selector: string): ArrayLike<LinkedomElement>;
}

/** An HTML document: main-content text with `#` headings, title from <title> or the first <h1>. */
export function htmlDocument(html: string, source: string): LoadedText {
  const page = parsePage(html);
  const title = textOf(page.querySelector('title')) || textOf(page.querySelector('h1')) || undefined;
  const lang = page.documentElement?.getAttribute('lang') ?? undefined;

  let extraction: 'readability' | 'body' = 'readability';
  let text = readabilityText(html);
  if (text === '') {
    extraction = 'body';
    text = page.body ? htmlToText(page.body) : '';
  }
  const metadata: JsonObject = { extraction };
  if (lang) metadata['lang'] = lang;
  const document: DocumentInput = { source, text, mimeType: 'text/html', metadata };
  if (title) document.title = title;
  return { document, warnings: [] };
}

/** A linkedom document with page chrome removed. */
function parsePage(html: string): LinkedomDocument {
  // linkedom leaves a fragment without <html>/<body> bodiless; a wrapper gives it the usual shape.
  const wrapped = /<(html|body)[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
  const { document } = htmlLibraries().parseHTML(wrapped) as unknown as { document: LinkedomDocument };
  for (const element of Array.from(document.querySelectorAll(CHROME_SELECTORS))) element.remove();
  // A page header is chrome; an article's own header holds its title and byline.
  for (const header of Array.from(document.querySelectorAll('header'))) {
    if (!header.closest('article, main')) header.remove();
  }
  return document;
}

/** The article text Readability finds, or '' when it finds none. */
function readabilityText(html: string): string {
  // Readability rewrites the document it reads, so it gets a copy of its own.
  const page = parsePage(html);
  for (const heading of Array.from(page.querySelectorAll('h1, h2, h3, h4, h5, h6'))) {
    heading.setAttribute(HEADING_LEVEL_ATTRIBUTE, heading.nodeName.slice(1));
  }
  const { Readability } = htmlLibraries();
  const reader = new Readability<DomNode>(page as never, { serializer: (node) => node as unknown as DomNode });
  let article: ReturnType<typeof reader.parse>;
  try {
    article = reader.parse();
  } catch {
    return '';
  }
  if (!article?.content) return '';
  return htmlToText(article.content);
}

function textOf(element: LinkedomElement | null): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
