import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/index.ts';
import { tempDir } from '../testing/temp-plumb.ts';

const BIN = fileURLToPath(new URL('../../bin/plumb.js', import.meta.url));

/**
 * Runs the CLI in a child process. Asynchronously: a synchronous spawn blocks the test worker for
 * the whole run, and a worker that cannot answer vitest for a minute fails the suite (seen on CI).
 */
function plumb(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string; json: () => Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: cwd ?? tempDir(), env: { ...process.env, PLUMB_EMBEDDINGS__PROVIDER: 'none', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> });
    });
  });
}

// Each CLI call loads the whole program in a new process: seconds apiece when CI runs files in parallel.
const CLI_TESTS = { timeout: 120_000 };

describe('plumb CLI', CLI_TESTS, () => {
  let data: string;
  let corpus: string;

  beforeAll(() => {
    data = tempDir();
    corpus = tempDir('plumb-corpus-');
    fs.writeFileSync(path.join(corpus, 'guide.md'), '# Guide\n\n## Ports\n\nThe server listens on port 8787. Use --port to change it.\n');
    fs.writeFileSync(path.join(corpus, 'notes.txt'), 'Backups run nightly at 02:00 and are kept for 30 days.');
    fs.writeFileSync(path.join(corpus, 'page.html'), '<html><head><title>Billing</title></head><body><nav>Home | About</nav><main><h1>Billing</h1><p>Invoices are sent on the first day of each month.</p></main></body></html>');
    fs.writeFileSync(path.join(corpus, 'records.jsonl'), '{"id":"r1","text":"Refunds take five business days."}\n{not json}\n{"id":"r2","text":"Support answers within one day."}\n');
    fs.writeFileSync(path.join(corpus, 'empty.txt'), '   \n');
    fs.writeFileSync(path.join(corpus, 'binary.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0x10]));
    fs.writeFileSync(path.join(corpus, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x61, 0x75, 0x20, 0x6c, 0x61, 0x69, 0x74]));
    fs.writeFileSync(path.join(corpus, 'broken.json'), '{"text": "unterminated');
    fs.writeFileSync(path.join(corpus, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    fs.writeFileSync(path.join(corpus, 'huge.txt'), 'word '.repeat(5000));
  });

  it('ingests a folder, reporting each bad file with its reason while the rest goes on', async () => {
    const r = await plumb(['ingest', corpus, '--json', '--data', data], { PLUMB_INGEST__MAX_FILE_BYTES: '10000' });
    expect(r.code).toBe(0);
    const report = r.json() as { documents: { inserted: number }; skipped: Array<{ path: string; reason: string }>; warnings: string[] };
    expect(report.documents.inserted).toBe(5); // guide, notes, page, r1, r2
    const reasons = Object.fromEntries(report.skipped.map((s) => [path.basename(s.path), s.reason]));
    expect(reasons).toMatchObject({
      'empty.txt': 'empty',
      'binary.txt': 'binary',
      'latin1.txt': 'invalid_utf8',
      'broken.json': 'malformed',
      'image.png': 'unsupported_type',
      'huge.txt': 'too_large',
    });
    expect(report.warnings.join('\n')).toMatch(/records\.jsonl.*line 2/);
  });

  it('re-running the same ingest changes nothing', async () => {
    const r = await plumb(['ingest', corpus, '--json', '--data', data], { PLUMB_INGEST__MAX_FILE_BYTES: '10000' });
    const report = r.json() as { documents: { inserted: number; unchanged: number }; chunks: number };
    expect(report.documents).toMatchObject({ inserted: 0, unchanged: 5 });
    expect(report.chunks).toBe(0);
  });

  it('asks and retrieves with citations, as JSON and as text', async () => {
    const asked = (await plumb(['ask', 'When are invoices sent?', '--json', '--data', data])).json() as { answer: { text: string; citations: Array<{ title: string }> } };
    expect(asked.answer.text).toContain('first day of each month');
    expect(asked.answer.citations[0]!.title).toBe('Billing');
    // Navigation was not indexed.
    const nav = (await plumb(['retrieve', 'Home About', '--json', '--data', data, '--mode', 'bm25'])).json() as { chunks: Array<{ text: string }> };
    expect(nav.chunks.map((c) => c.text).join(' ')).not.toContain('Home | About');

    const human = await plumb(['ask', 'How long are backups kept?', '--data', data]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('30 days');
    expect(human.stdout).toMatch(/Sources:\n {2}\[1\]/);
  });

  it('shows the cost ledger: one row per answer, totals summed from the rows', async () => {
    const ledger = (await plumb(['ledger', '--json', '--data', data])).json() as { totals: { requests: number; inputTokens: number }; entries: Array<{ inputTokens: number; status: string }> };
    expect(ledger.totals.requests).toBeGreaterThanOrEqual(2); // the answers asked above
    expect(ledger.totals.inputTokens).toBe(ledger.entries.reduce((sum, e) => sum + e.inputTokens, 0));
    expect(ledger.entries.every((e) => e.status === 'ok')).toBe(true);
  });

  it('lists and removes documents', async () => {
    const list = (await plumb(['docs', 'list', '--json', '--data', data])).json() as { documents: Array<{ id: string }> };
    expect(list.documents.map((d) => d.id)).toEqual(expect.arrayContaining(['r1', 'r2']));
    const rm = await plumb(['docs', 'rm', 'r1', '--json', '--data', data]);
    expect(rm.code).toBe(0);
    const after = (await plumb(['docs', 'list', '--json', '--data', data])).json() as { documents: Array<{ id: string }> };
    expect(after.documents.map((d) => d.id)).not.toContain('r1');
    const missing = await plumb(['docs', 'rm', 'r1', '--data', data]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no document with id "r1"');
    expect(missing.stderr).toContain('hint:');
  });

  it('creates, lists and revokes API keys, showing each secret once and never listing it', async () => {
    const created = (await plumb(['keys', 'create', '--tenant', 'acme', '--name', 'ci', '--json', '--data', data])).json() as { key: string; id: string };
    expect(created.key).toMatch(/^plumb_/);
    const listed = await plumb(['keys', 'list', '--tenant', 'acme', '--json', '--data', data]);
    const rows = JSON.parse(listed.stdout) as Array<{ id: string; name: string; revokedAt: string | null }>;
    expect(rows).toEqual([expect.objectContaining({ id: created.id, name: 'ci', revokedAt: null })]);
    expect(listed.stdout).not.toContain(created.key);
    const revoked = await plumb(['keys', 'revoke', '--tenant', 'acme', '--id', created.id, '--data', data]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`revoked ${created.id}`);
    const after = JSON.parse((await plumb(['keys', 'list', '--tenant', 'acme', '--json', '--data', data])).stdout) as Array<{ revokedAt: string | null }>;
    expect(after[0]!.revokedAt).not.toBeNull();
    const wrongTenant = await plumb(['keys', 'revoke', '--tenant', 'globex', '--id', created.id, '--data', data]);
    expect(wrongTenant.code).toBe(1);
    expect(wrongTenant.stderr).toContain('plumb keys list --tenant globex');
  });

  it('init writes a commented config that loads, and will not overwrite it', async () => {
    const cwd = tempDir();
    const first = await plumb(['init'], {}, cwd);
    expect(first.code).toBe(0);
    const text = fs.readFileSync(path.join(cwd, 'plumb.config.yaml'), 'utf8');
    expect(text).toContain('# ');
    expect((await plumb(['docs', 'list', '--json', '--data', tempDir()], {}, cwd)).code).toBe(0);
    const again = await plumb(['init'], {}, cwd);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');
  });

  it('fails with a message that names the problem', async () => {
    const badFlag = await plumb(['retrieve', 'x', '--k', 'many', '--data', data]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--k must be an integer');

    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'plumb.config.yaml'), 'retrival:\n  k: 3\n');
    const badConfig = await plumb(['docs', 'list'], {}, cwd);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('retrival');
    expect(badConfig.stderr).toContain('plumb.config.yaml');

    const nothing = await plumb(['ingest', path.join(corpus, 'does-not-exist'), '--data', data]);
    expect(nothing.code).toBe(1);
    expect(nothing.stdout).toMatch(/does-not-exist/);
  });

  it('reads JSONL records with custom text, id and title fields', async () => {
    const dir = tempDir('plumb-records-');
    fs.writeFileSync(path.join(dir, 'faq.jsonl'), [{ key: 'faq-1', question: 'Shipping', answer: 'Orders ship within two business days.' }].map((r) => JSON.stringify(r)).join('\n'));
    const data2 = tempDir();
    const r = await plumb(['ingest', dir, '--text-field', 'answer', '--id-field', 'key', '--title-field', 'question', '--json', '--data', data2]);
    expect((r.json() as { documentIds: string[] }).documentIds).toEqual(['faq-1']);
    const doc = (await plumb(['docs', 'list', '--json', '--data', data2])).json() as { documents: Array<{ id: string; title: string }> };
    expect(doc.documents[0]).toMatchObject({ id: 'faq-1', title: 'Shipping' });
  });

  it('eval retrieval prints the metrics object', async () => {
    const dir = tempDir('plumb-beir-');
    const docs = [
      { _id: 'd1', title: 'Vitamin D', text: 'Vitamin D deficiency is linked to bone loss in older adults.' },
      { _id: 'd2', title: 'Sleep', text: 'Short sleep duration raises the risk of obesity in children.' },
      { _id: 'd3', title: 'Coffee', text: 'Coffee consumption is associated with lower liver disease risk.' },
    ];
    fs.writeFileSync(path.join(dir, 'corpus.jsonl'), docs.map((d) => JSON.stringify(d)).join('\n'));
    fs.writeFileSync(path.join(dir, 'queries.jsonl'), [{ _id: 'q1', text: 'bone loss vitamin' }, { _id: 'q2', text: 'coffee liver' }, { _id: 'q3', text: 'unjudged' }].map((q) => JSON.stringify(q)).join('\n'));
    fs.writeFileSync(path.join(dir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\n');
    const r = await plumb(['eval', 'retrieval', '--corpus', path.join(dir, 'corpus.jsonl'), '--queries', path.join(dir, 'queries.jsonl'), '--qrels', path.join(dir, 'qrels.tsv'), '--mode', 'bm25', '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ 'ndcg@10': 1, 'recall@100': 1, 'mrr@10': 1, queries: 2 });
  });
});

describe('a killed ingest', CLI_TESTS, () => {
  it('leaves no partial document, and re-running completes it', async () => {
    const data = tempDir();
    const corpus = path.join(tempDir('plumb-big-'), 'corpus.jsonl');
    const lines = [];
    for (let i = 0; i < 1500; i++) {
      const paragraphs = Array.from({ length: 3 }, (_, p) => `Paragraph ${p} of record ${i} talks about topic ${i % 37} and detail ${(i * 7 + p) % 101}. `.repeat(6));
      lines.push(JSON.stringify({ _id: `doc${i}`, title: `Record ${i}`, text: paragraphs.join('\n\n') }));
    }
    fs.writeFileSync(corpus, lines.join('\n'));

    const child = spawn(process.execPath, [BIN, 'ingest', corpus, '--data', data, '--json'], {
      env: { ...process.env, PLUMB_EMBEDDINGS__PROVIDER: 'none', PLUMB_INGEST__CHUNK__MAX_TOKENS: '64', PLUMB_INGEST__CHUNK__OVERLAP_TOKENS: '8' },
      stdio: 'ignore',
    });
    const dbFile = path.join(data, 'plumb.db');
    // Kill it once some documents are committed, well before the end.
    const deadline = Date.now() + 30_000;
    let committed = 0;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 150));
      if (!fs.existsSync(dbFile)) continue;
      const probe = SqliteStore.open({ path: dbFile });
      committed = await probe.countDocuments('default').catch(() => 0);
      await probe.close();
      if (committed >= 20) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(committed).toBeGreaterThanOrEqual(20);

    const store = SqliteStore.open({ path: dbFile });
    const stored = await store.listDocuments('default');
    expect(stored.length).toBeLessThan(1500);
    for (const doc of stored) {
      const chunks = await store.getDocumentChunks('default', doc.id);
      expect(chunks).toHaveLength(doc.chunkCount);
    }
    await store.close();

    const rerun = await plumb(['ingest', corpus, '--data', data, '--json'], { PLUMB_INGEST__CHUNK__MAX_TOKENS: '64', PLUMB_INGEST__CHUNK__OVERLAP_TOKENS: '8' });
    const report = rerun.json() as { documents: { inserted: number; unchanged: number } };
    expect(report.documents.unchanged).toBe(stored.length);
    expect(report.documents.inserted).toBe(1500 - stored.length);
  }, 120_000);
});

describe('plumb eval import', CLI_TESTS, () => {
  it('turns BEIR files into a golden set and reports qrels for unknown documents', async () => {
    const dir = tempDir('plumb-import-');
    fs.writeFileSync(path.join(dir, 'corpus.jsonl'), '{"_id":"d1","title":"A","text":"alpha"}\n');
    fs.writeFileSync(path.join(dir, 'queries.jsonl'), '{"_id":"q1","text":"what is alpha"}\n');
    fs.writeFileSync(path.join(dir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td404\t1\n');
    const out = path.join(dir, 'golden.jsonl');
    const r = await plumb(['eval', 'import', 'beir', '--queries', path.join(dir, 'queries.jsonl'), '--qrels', path.join(dir, 'qrels.tsv'), '--corpus', path.join(dir, 'corpus.jsonl'), '--out', out, '--json']);
    expect(r.code).toBe(0);
    const body = r.json() as { cases: number; problems: Array<{ kind: string }> };
    expect(body.cases).toBe(1);
    expect(body.problems.map((p) => p.kind)).toEqual(['unknown_document']);
    const golden = JSON.parse(fs.readFileSync(out, 'utf8').trim()) as { id: string; relevantDocumentIds: Record<string, number> };
    expect(golden).toMatchObject({ id: 'q1', relevantDocumentIds: { d1: 1 } });
  });
});
