/**
 * The OpenTelemetry SDK environment variables an operator already sets for every other service
 * (OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS, _PROTOCOL, OTEL_SERVICE_NAME, OTEL_TRACES_EXPORTER,
 * OTEL_SDK_DISABLED; OTEL_TRACES_SAMPLER and _ARG for `tracing.sampleRate`), applied to
 * `tracing`. The configuration file wins over them, as
 * plumb's own settings are the more specific; the signal-specific variables win over the general
 * ones, as the specification says.
 */
import { PlumbError } from '../core/errors.ts';

export interface OtlpSettings {
  endpoint?: string | undefined;
  headers: Record<string, string>;
  serviceName?: string | undefined;
}

/** `settings` with what the environment adds; throws invalid_config for a value that cannot work. */
export function otlpSettingsFromEnv<T extends OtlpSettings>(settings: T, env: NodeJS.ProcessEnv): T {
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' || env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none';
  const out: T = { ...settings, headers: { ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS'), ...parseHeaders(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'), ...settings.headers } };
  out.serviceName ??= env.OTEL_SERVICE_NAME?.trim() || 'plumb';
  if (disabled) {
    // Switched off for this process even when the file names a collector: that is what the variable is for.
    out.endpoint = undefined;
    return out;
  }
  out.endpoint ??= endpointFromEnv(env);
  if (out.endpoint === undefined) return out;
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim().toLowerCase();
  if (protocol === 'grpc') {
    throw new PlumbError('invalid_config', 'OTEL_EXPORTER_OTLP_PROTOCOL is grpc, but plumb exports traces over OTLP/HTTP only', {
      hint: "point plumb at the collector's HTTP receiver (port 4318, e.g. http://127.0.0.1:4318) and set OTEL_EXPORTER_OTLP_PROTOCOL=http/json, or unset it",
    });
  }
  return out;
}

function endpointFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return checkedUrl(traces, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  // The general endpoint is a base: each signal appends its own path.
  if (base) return checkedUrl(`${base.replace(/\/+$/, '')}/v1/traces`, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return undefined;
}

function checkedUrl(value: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PlumbError('invalid_config', `${variable} is not a URL: "${value}"`, { hint: 'e.g. http://127.0.0.1:4318' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PlumbError('invalid_config', `${variable} must be an http:// or https:// URL, got "${url.protocol}"`, { hint: 'e.g. http://127.0.0.1:4318' });
  }
  return url.href;
}

/** "k1=v1,k2=v2" with URL-encoded values (W3C Baggage style, as the specification defines it). */
export function parseHeaders(raw: string | undefined, variable: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!raw?.trim()) return headers;
  for (const pair of raw.split(',')) {
    if (!pair.trim()) continue;
    const eq = pair.indexOf('=');
    const name = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      // The value is not echoed: it is likely a credential.
      throw new PlumbError('invalid_config', `${variable} holds an entry that is not name=value`, { hint: 'e.g. x-api-key=abc123,x-team=ops' });
    }
    let value = pair.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not percent-encoded after all: taken as written.
    }
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

/**
 * The rate the OpenTelemetry SDK variables ask for (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG),
 * or undefined when they ask for nothing plumb reads. plumb's traces are always roots, so the
 * parent-based samplers act as their root samplers.
 */
export function sampleRateFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const sampler = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (!sampler) return undefined;
  const root = sampler.replace(/^parentbased_/, '');
  if (root === 'always_on') return 1;
  if (root === 'always_off') return 0;
  if (root !== 'traceidratio') {
    throw new PlumbError('invalid_config', `OTEL_TRACES_SAMPLER is "${sampler}", which plumb does not support`, {
      hint: 'use always_on, always_off or traceidratio (with OTEL_TRACES_SAMPLER_ARG=0.1 for 10%), their parentbased_ forms, or set tracing.sampleRate',
    });
  }
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (!arg) return 1; // the specification's default ratio
  const rate = Number(arg);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new PlumbError('invalid_config', `OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "${arg}"`, {
      hint: 'e.g. OTEL_TRACES_SAMPLER_ARG=0.1 keeps one trace in ten',
    });
  }
  return rate;
}
