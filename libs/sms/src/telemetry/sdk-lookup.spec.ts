import { context, metrics, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { instruments } from './metrics';
import { SpanKinds, inSpan, startSpan } from './spans';

describe('telemetry with the API and no SDK, then an SDK registered late', () => {
  afterEach(() => {
    trace.disable();
    metrics.disable();
    context.disable();
  });

  it('no SDK: no span is started and no instrument is made', async () => {
    expect(startSpan('sms.send', SpanKinds.INTERNAL)).toBeUndefined();
    expect(instruments()).toBeUndefined();
    await expect(inSpan('sms.send', SpanKinds.INTERNAL, async (span) => span)).resolves.toBeUndefined();
  });

  it('an SDK registered after the library loaded gets the spans and the measurements', () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    metrics.setGlobalMeterProvider(new MeterProvider());
    const span = startSpan('sms.send', SpanKinds.INTERNAL);
    expect(span?.isRecording()).toBe(true);
    span!.end();
    expect(instruments()?.messages).toBeDefined();
  });

  it('disabled again: back to nothing', () => {
    expect(startSpan('sms.send', SpanKinds.INTERNAL)).toBeUndefined();
    expect(instruments()).toBeUndefined();
  });
});
