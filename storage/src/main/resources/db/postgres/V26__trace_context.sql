-- Traces (issue 19, ADR 15). events.trace_context: the publish span's W3C context (traceparent,
-- then a newline and the tracestate when there is one), NULL when tracing was off; every attempt,
-- a retry hours later included, links its span to it. endpoints.trace_context: send each attempt's
-- traceparent to the partner (unsigned, like webhook-id).
ALTER TABLE events ADD COLUMN trace_context TEXT;
ALTER TABLE endpoints ADD COLUMN trace_context BOOLEAN NOT NULL DEFAULT FALSE;
