/** The injection token of the demo's `DemoTelemetry`. */
export const DEMO_TELEMETRY = 'DEMO:TELEMETRY';
