/** `plumb init`, `plumb docs list|rm`, `plumb traces list|show`, `plumb keys create`. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_CONFIG_YAML } from '../../config/default-config-file.ts';
import { PlumbError } from '../../core/errors.ts';
import type { TenantBudgetUsage } from '../../gateway/budgets/index.ts';
import { withPlumb } from '../open-plumb.ts';
import { emit, intOption, type GlobalOptions } from '../output.ts';

export function registerAdminCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('init')
    .description('write a commented plumb.config.yaml with every default')
    .option('--force', 'overwrite an existing file')
    .action((flags: { force?: boolean }) => {
      const g = globals();
      const file = path.resolve(g.config ?? 'plumb.config.yaml');
      if (fs.existsSync(file) && !flags.force) {
        throw new PlumbError('conflict', `${file} already exists`, { hint: 'pass --force to overwrite it' });
      }
      fs.writeFileSync(file, DEFAULT_CONFIG_YAML);
      emit(g, { written: file }, () => `wrote ${file}\nedit it, then run: plumb serve`);
    });

  const docs = program.command('docs').description('list and delete documents');
  docs
    .command('list')
    .description('list documents')
    .option('--limit <n>', 'how many', intOption('limit', 1, 100000), 100)
    .option('--tenant <id>', 'tenant')
    .action(async (flags: { limit: number; tenant?: string }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const documents = await plumb.listDocuments({ limit: flags.limit, ...(flags.tenant ? { tenantId: flags.tenant } : {}) });
        emit(g, { documents }, () =>
          documents.length === 0
            ? 'no documents yet; add some with `plumb ingest <path>`'
            : documents.map((d) => `${d.id}  v${d.version}  ${String(d.chunkCount).padStart(4)} chunks  ${d.title ?? ''}  (${d.source})`).join('\n'),
        );
      });
    });
  docs
    .command('rm')
    .description('delete a document and its chunks')
    .argument('<id...>', 'document ids')
    .option('--tenant <id>', 'tenant')
    .action(async (ids: string[], flags: { tenant?: string }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const results: Array<{ id: string; deleted: true; chunks: number }> = [];
        for (const id of ids) results.push({ id, ...(await plumb.deleteDocument(id, flags.tenant ? { tenantId: flags.tenant } : {})) });
        emit(g, { deleted: results }, () => results.map((r) => `deleted ${r.id} (${r.chunks} chunks)`).join('\n'));
      });
    });

  const traces = program.command('traces').description('read request traces');
  traces
    .command('list')
    .option('--limit <n>', 'how many', intOption('limit', 1, 1000), 20)
    .option('--tenant <id>', 'tenant')
    .action(async (flags: { limit: number; tenant?: string }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const list = await plumb.listTraces({ limit: flags.limit, ...(flags.tenant ? { tenantId: flags.tenant } : {}) });
        emit(g, { traces: list }, () =>
          list.map((t) => `${t.traceId}  ${new Date(t.startTime).toISOString()}  ${t.name.padEnd(14)} ${t.durationMs.toFixed(1).padStart(8)} ms  ${t.status}`).join('\n') || 'no traces yet',
        );
      });
    });
  traces
    .command('show')
    .argument('<id>', 'trace id')
    .option('--tenant <id>', 'tenant')
    .action(async (id: string, flags: { tenant?: string }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const t = await plumb.getTrace(id, flags.tenant ? { tenantId: flags.tenant } : {});
        emit(g, t, () => {
          const depth = new Map<string, number>();
          return t.spans
            .map((s) => {
              const d = s.parentSpanId ? (depth.get(s.parentSpanId) ?? 0) + 1 : 0;
              depth.set(s.spanId, d);
              const attrs = Object.entries(s.attributes).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
              return `${'  '.repeat(d)}${s.name}  ${s.durationMs.toFixed(2)} ms  ${s.status}${attrs ? `  ${attrs}` : ''}`;
            })
            .join('\n');
        });
      });
    });

  program
    .command('ledger')
    .description('the cost ledger: totals (summed from the rows) and the latest rows')
    .option('--since <iso>', 'from this time (inclusive)')
    .option('--until <iso>', 'until this time (exclusive)')
    .option('--limit <n>', 'rows to show', intOption('limit', 0, 100000), 20)
    .option('--tenant <id>', 'tenant')
    .action(async (flags: { since?: string; until?: string; limit: number; tenant?: string }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const tenantId = flags.tenant ?? plumb.config.defaultTenant;
        const range = { ...(flags.since ? { since: isoTime(flags.since, 'since') } : {}), ...(flags.until ? { until: isoTime(flags.until, 'until') } : {}) };
        const totals = await plumb.store.ledgerTotals(tenantId, range);
        const entries = flags.limit === 0 ? [] : await plumb.store.listLedger(tenantId, { ...range, limit: flags.limit, order: 'desc' });
        emit(g, { totals, entries }, () => {
          const head = `${totals.requests} requests · ${totals.inputTokens} tokens in (${totals.cachedInputTokens} cache reads, ${totals.cacheWriteInputTokens} cache writes) · ${totals.outputTokens} out · $${totals.costUsd.toFixed(6)}`;
          const rows = entries.map((e) => `${e.createdAt}  ${e.route.padEnd(14)} ${e.provider}/${e.model}  ${e.inputTokens}+${e.outputTokens} tok  $${(e.costNanoUsd / 1e9).toFixed(6)}  ${e.cacheHit === 'none' ? '' : `cache:${e.cacheHit}  `}${e.status}`);
          return [head, ...rows].join('\n');
        });
      });
    });

  program
    .command('budgets')
    .description("where a tenant's budgets stand: limit, spent (settled), reserved (in flight), remaining, reset time")
    .option('--tenant <id>', 'tenant (default: the configured default tenant)')
    .option('--server <url>', 'ask a running plumb server (GET /v1/budgets) instead of reading the counters directly')
    .option('--key <key>', 'API key for --server (default: $PLUMB_API_KEY)')
    .action(async (flags: { tenant?: string; server?: string; key?: string }) => {
      const g = globals();
      const render = (usage: TenantBudgetUsage & { backend?: string }) => () => {
        if (usage.budgets.length === 0) return `tenant ${usage.tenantId} has no budget (configure budgets.tenants.${usage.tenantId} or "*")`;
        const show = (unit: string, n: number) => (unit === 'usd' ? `$${n.toFixed(6)}` : `${n} tokens`);
        const rows = usage.budgets.map(
          (b) =>
            `${b.period.padEnd(8)} ${b.unit.padEnd(6)} ${b.mode}  limit ${show(b.unit, b.limit)}  spent ${show(b.unit, b.spent)}  reserved ${show(b.unit, b.reserved)}  remaining ${show(b.unit, b.remaining)}  resets ${b.resetsAt}`,
        );
        const note = !flags.server && usage.backend === 'memory' ? ['(budgets.backend is memory: a running server keeps its own counts; use --server to ask it)'] : [];
        return [`tenant ${usage.tenantId} (${usage.source === 'default' ? 'the "*" budget' : 'its own budget'})`, ...rows, ...note].join('\n');
      };
      if (flags.server) {
        const usage = await budgetsFromServer(flags.server, flags.key ?? process.env['PLUMB_API_KEY'], flags.tenant);
        emit(g, usage, render(usage));
        return;
      }
      await withPlumb(g, async (plumb) => {
        const tenantId = flags.tenant ?? plumb.config.defaultTenant;
        const usage = { ...(await plumb.gateway.budgetUsage(tenantId)), backend: plumb.config.budgets.backend === 'memory' ? 'memory' : 'redis' };
        emit(g, usage, render(usage));
      });
    });

  const keys = program.command('keys').description('API keys for the HTTP server');
  keys
    .command('create')
    .requiredOption('--tenant <id>', 'the tenant the key belongs to')
    .option('--name <name>', 'a label for the key', 'default')
    .action(async (flags: { tenant: string; name: string }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const { key, record } = await plumb.createApiKey(flags.tenant, flags.name);
        emit(g, { key, id: record.id, tenantId: record.tenantId }, () =>
          `${key}\n\nThis is the only time the key is shown; plumb stores only its SHA-256 hash.\nUse it as: Authorization: Bearer ${key}`,
        );
      });
    });
  keys
    .command('list')
    .requiredOption('--tenant <id>', 'the tenant whose keys to list')
    .action(async (flags: { tenant: string }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        const records = await plumb.listApiKeys(flags.tenant);
        const rows = records.map(({ id, name, createdAt, revokedAt }) => ({ id, name, createdAt, revokedAt }));
        emit(g, rows, () =>
          rows.length === 0
            ? `no keys for tenant ${flags.tenant}; create one with \`plumb keys create --tenant ${flags.tenant}\``
            : rows.map((r) => `${r.id}  ${r.name}  created ${r.createdAt}${r.revokedAt ? `  revoked ${r.revokedAt}` : ''}`).join('\n'),
        );
      });
    });
  keys
    .command('revoke')
    .requiredOption('--tenant <id>', 'the tenant the key belongs to')
    .requiredOption('--id <keyId>', 'the key id (`plumb keys list` shows it)')
    .action(async (flags: { tenant: string; id: string }) => {
      const g = globals();
      await withPlumb(g, async (plumb) => {
        if (!(await plumb.revokeApiKey(flags.tenant, flags.id))) {
          throw new PlumbError('not_found', `tenant ${flags.tenant} has no key ${flags.id}`, { hint: `\`plumb keys list --tenant ${flags.tenant}\` shows its keys` });
        }
        const seconds = plumb.config.server.apiKeyCacheMs / 1000;
        emit(g, { revoked: flags.id, tenantId: flags.tenant }, () =>
          `revoked ${flags.id}; a running server refuses it within ${seconds} s (server.apiKeyCacheMs)`,
        );
      });
    });
}

/** GET /v1/budgets of a running server; the tenant is the key's (or X-Plumb-Tenant on an open local server). */
async function budgetsFromServer(server: string, key: string | undefined, tenant: string | undefined): Promise<TenantBudgetUsage & { backend?: string }> {
  const url = `${server.replace(/\/+$/, '')}/v1/budgets`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(tenant ? { 'x-plumb-tenant': tenant } : {}) } });
  } catch (error) {
    throw new PlumbError('unavailable', `could not reach ${url}: ${error instanceof Error ? error.message : String(error)}`, { hint: 'is `plumb serve` running there?' });
  }
  const body = (await response.json().catch(() => null)) as (TenantBudgetUsage & { error?: { message?: string; hint?: string } }) | null;
  if (!response.ok || !body || body.error) {
    throw new PlumbError(response.status === 401 ? 'unauthorized' : 'upstream_error', `${url} answered ${response.status}: ${body?.error?.message ?? 'no JSON body'}`, {
      ...(body?.error?.hint ? { hint: body.error.hint } : {}),
    });
  }
  return body;
}

function isoTime(raw: string, name: string): string {
  if (Number.isNaN(Date.parse(raw))) throw new PlumbError('bad_request', `--${name} must be an ISO-8601 date or time, got "${raw}"`);
  return new Date(raw).toISOString();
}
