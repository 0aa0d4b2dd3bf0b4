/** Decision logs, redaction, counters and the telemetry hook. */
export { DecisionLog } from "./decision-log.js";
export type { DecisionLogOptions } from "./decision-log.js";
export type { DecisionEvent, EventMatch, EventOutcome, EventRateLimit } from "./event.js";
export { consoleLogger, silentLogger } from "./logger.js";
export type { DecisionLogger } from "./logger.js";
export { WaferMetrics, metricsFor } from "./counters.js";
export type { MetricsSnapshot } from "./counters.js";
export { otelAttributes } from "./otel.js";
export type { DecisionHook, OtelAttributes, OtelAttributeValue } from "./otel.js";
export { createRedactor, redactSnippet, passesLuhn, DEFAULT_SENSITIVE_NAME } from "./redact.js";
export type { RedactionOptions, Redactor } from "./redact.js";
