import { describe, expect, it } from 'vitest';
import { validateConfig } from './load-config.ts';
import { otlpSettingsFromEnv, parseHeaders, type OtlpSettings } from './otlp-env.ts';

const none: OtlpSettings = { headers: {} };

describe('otlpSettingsFromEnv', () => {
  it('takes the general endpoint as a base and appends /v1/traces; the traces endpoint as it is', () => {
    expect(otlpSettingsFromEnv(none, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).endpoint).toBe('http://collector:4318/v1/traces');
    expect(otlpSettingsFromEnv(none, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://vendor.example/otlp/traces' }).endpoint).toBe('https://vendor.example/otlp/traces');
    expect(otlpSettingsFromEnv(none, {}).endpoint).toBeUndefined();
  });

  it('lets the configuration file win over the environment, and signal-specific headers over general ones', () => {
    const settings = otlpSettingsFromEnv(
      { endpoint: 'http://from-file:4318/v1/traces', headers: { 'x-team': 'file' } },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://from-env:4318', OTEL_EXPORTER_OTLP_HEADERS: 'x-team=env,x-key=general', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-key=traces%20only' },
    );
    expect(settings.endpoint).toBe('http://from-file:4318/v1/traces');
    expect(settings.headers).toEqual({ 'x-team': 'file', 'x-key': 'traces only' });
  });

  it('names the service from OTEL_SERVICE_NAME unless the file does, else "plumb"', () => {
    expect(otlpSettingsFromEnv(none, { OTEL_SERVICE_NAME: 'rag-api' }).serviceName).toBe('rag-api');
    expect(otlpSettingsFromEnv({ ...none, serviceName: 'mine' }, { OTEL_SERVICE_NAME: 'rag-api' }).serviceName).toBe('mine');
    expect(otlpSettingsFromEnv(none, {}).serviceName).toBe('plumb');
  });

  it('is switched off by OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true, even with a configured endpoint', () => {
    const configured = { endpoint: 'http://collector:4318/v1/traces', headers: {} };
    expect(otlpSettingsFromEnv(configured, { OTEL_TRACES_EXPORTER: 'none' }).endpoint).toBeUndefined();
    expect(otlpSettingsFromEnv(configured, { OTEL_SDK_DISABLED: 'true' }).endpoint).toBeUndefined();
  });

  it('refuses gRPC and URLs it cannot use, saying what to set instead', () => {
    expect(() => otlpSettingsFromEnv(none, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/OTLP\/HTTP only/);
    expect(() => otlpSettingsFromEnv(none, { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => otlpSettingsFromEnv(none, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' })).toThrow(/not a URL/);
    // http/protobuf and http/json are both OTLP/HTTP, on the same receiver.
    expect(otlpSettingsFromEnv(none, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }).endpoint).toBe('http://c:4318/v1/traces');
  });

  it('reaches the configuration through validateConfig', () => {
    const config = validateConfig({}, 'test', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc' });
    expect(config.tracing.otlp).toMatchObject({ endpoint: 'http://127.0.0.1:4318/v1/traces', headers: { authorization: 'Bearer abc' }, serviceName: 'plumb', maxRetries: 5 });
    expect(validateConfig({}, 'test', {}).tracing.otlp.endpoint).toBeUndefined();
  });
});

describe('parseHeaders', () => {
  it('reads name=value pairs with percent-encoded values and lower-cases names', () => {
    expect(parseHeaders('Api-Key=a%3Db, x-b = two ,', 'V')).toEqual({ 'api-key': 'a=b', 'x-b': 'two' });
  });

  it('reports a malformed entry without echoing the value, which is likely a secret', () => {
    let message = '';
    try {
      parseHeaders('sk-secret-value-9', 'OTEL_EXPORTER_OTLP_HEADERS');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('OTEL_EXPORTER_OTLP_HEADERS');
    expect(message).not.toContain('sk-secret-value-9');
  });
});
