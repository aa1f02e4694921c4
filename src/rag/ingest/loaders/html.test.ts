import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../chunking/chunk-document.ts';
import { htmlDocument } from './html.ts';

const article = `<!doctype html><html lang="en"><head><title>Guide to Widgets</title><style>.x{color:red}</style></head>
<body>
<header><div class="logo">ACME NAVBAR</div></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li></ul></nav>
<main><article>
<h1>Guide to Widgets</h1>
<p>Widgets are small components that do one thing well. This guide explains how to install, configure and
run widgets in production, with enough detail that it is clearly the main content of this page.</p>
<h2>Install</h2>
<p>Run the installer from the command line. It downloads nothing at run time and works offline, which
matters for air-gapped deployments in regulated industries.</p>
<pre><code>npm install widgets

widgets init</code></pre>
<h2>Configure</h2>
<p>Edit the configuration file to set the number of workers and the log level. Defaults are sensible for
most deployments and rarely need changing.</p>
<ul><li>workers: 4</li><li>log: info</li></ul>
<table><tr><th>key</th><th>default</th></tr><tr><td>port</td><td>8080</td></tr></table>
</article></main>
<aside>Related: GADGETS SIDEBAR</aside>
<footer>Copyright ACME FOOTER 2024</footer>
<script>var tracking = "SCRIPT TEXT";</script>
</body></html>`;

describe('HTML loader', () => {
  it('keeps the main content with markdown-style headings, fences, lists and table rows', () => {
    const { document } = htmlDocument(article, 'guide.html');
    expect(document.title).toBe('Guide to Widgets');
    expect(document.mimeType).toBe('text/html');
    expect(document.metadata).toEqual({ extraction: 'readability', lang: 'en' });
    const text = document.text;
    expect(text).toContain('Widgets are small components that do one thing well.');
    expect(text).toContain('\n\n## Install\n\nRun the installer');
    expect(text).toContain('```\nnpm install widgets\n\nwidgets init\n```');
    expect(text).toContain('- workers: 4\n- log: info');
    expect(text).toContain('key | default\nport | 8080');
    for (const chrome of ['NAVBAR', 'About us', 'SIDEBAR', 'FOOTER', 'SCRIPT TEXT', 'color:red']) expect(text).not.toContain(chrome);
  });

  it('gives the chunker headings to follow', () => {
    const { document } = htmlDocument(article, 'guide.html');
    const chunks = chunkDocument(document, { maxTokens: 40, overlapTokens: 0 });
    expect(chunks.map((c) => c.headingPath.at(-1))).toContain('Configure');
  });

  it('falls back to the body without navigation when Readability finds no article', () => {
    const html = '<html><head></head><body><nav>Menu Home</nav><h1>Tiny</h1><p>Just one line.</p><footer>foot</footer></body></html>';
    const { document } = htmlDocument(html, 'tiny.html');
    expect(document.text).toContain('Just one line.');
    expect(document.text).not.toContain('Menu Home');
    expect(document.text).not.toContain('foot');
    expect(document.title).toBe('Tiny');
  });

  it('keeps heading levels although Readability renames <h1> to <h2>', () => {
    const para = '<p>' + 'This paragraph has enough words to look like real article content to a reader. '.repeat(4) + '</p>';
    const html = `<html><head><title>Doc</title></head><body><article><h1>Part One</h1>${para}<h2>Detail</h2>${para}<h1>Part Two</h1>${para}</article></body></html>`;
    const { document } = htmlDocument(html, 'levels.html');
    expect(document.text.match(/^#+ .*$/gm)).toEqual(['# Part One', '## Detail', '# Part Two']);
  });

  it('takes the title from the first <h1> when there is no <title>', () => {
    const { document } = htmlDocument('<body><h1>Only Heading</h1><p>Body text here.</p></body>', 'x.html');
    expect(document.title).toBe('Only Heading');
  });
});
