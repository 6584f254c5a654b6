import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { DEMO_TELEMETRY } from './telemetry.constants';
import { type DemoTelemetry } from './telemetry';

/** Stops the SDK when the application shuts down, after the spans still buffered are exported. */
@Injectable()
class TelemetryShutdown implements OnApplicationShutdown {
  constructor(@Inject(DEMO_TELEMETRY) private readonly telemetry: DemoTelemetry) {}

  onApplicationShutdown(): Promise<void> {
    return this.telemetry.shutdown();
  }
}

/** `GET /metrics` for Prometheus, and the SDK's shutdown with the application's. */
@Module({})
export class TelemetryModule {
  /** The SDK started by `startTelemetry` before the application was created. */
  static forRoot(telemetry: DemoTelemetry): DynamicModule {
    return {
      module: TelemetryModule,
      controllers: [MetricsController],
      providers: [{ provide: DEMO_TELEMETRY, useValue: telemetry }, TelemetryShutdown],
    };
  }
}
