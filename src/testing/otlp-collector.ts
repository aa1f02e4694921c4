/**
 * Test helper: a local OpenTelemetry collector's OTLP/HTTP receiver. It records every export it
 * gets (headers and parsed JSON body) and answers each as `answer` says (default 200 `{}`), so
 * tests can play a healthy, busy, refusing or hanging collector.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpExportBody {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans: Array<{ spans: OtlpSpanBody[] }>;
  }>;
}

export interface OtlpSpanBody {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: { stringValue?: string } }>;
}

export interface ReceivedExport {
  path: string;
  headers: IncomingHttpHeaders;
  body: OtlpExportBody;
}

export interface OtlpCollector {
  /** The receiver's base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  baseUrl: string;
  /** The traces URL (`/v1/traces`), as `tracing.otlp.endpoint` takes it. */
  tracesUrl: string;
  received: ReceivedExport[];
  /** Requests whose body arrived, answered or not. */
  requests(): number;
  /** Every span received so far. */
  spans(): OtlpSpanBody[];
  close(): Promise<void>;
}

export async function startOtlpCollector(answer: (requestNumber: number, res: ServerResponse) => void = (_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}')): Promise<OtlpCollector> {
  const received: ReceivedExport[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(parts).toString('utf8')) as OtlpExportBody });
      answer(received.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    tracesUrl: `${baseUrl}/v1/traces`,
    received,
    requests: () => received.length,
    spans: () => received.flatMap((r) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
