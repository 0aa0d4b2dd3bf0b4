/** Small helpers shared by the request extraction tests. */
import { ArrayFieldSink } from "../../src/request/array-field-sink.js";
import { extractRequest, extractRequestSync } from "../../src/request/extract.js";
import type { ExtractContext, ExtractOptions, ExtractReport, RequestInput } from "../../src/request/types.js";

export function extractSync(
  input: RequestInput,
  options?: ExtractOptions,
  context?: ExtractContext,
): { sink: ArrayFieldSink; report: ExtractReport } {
  const sink = new ArrayFieldSink();
  const report = extractRequestSync(input, sink, options, context);
  return { sink, report };
}

export async function extractAsync(
  input: RequestInput,
  options?: ExtractOptions,
  context?: ExtractContext,
): Promise<{ sink: ArrayFieldSink; report: ExtractReport }> {
  const sink = new ArrayFieldSink();
  const report = await extractRequest(input, sink, options, context);
  return { sink, report };
}
