/**
 * Redacted excerpts of matched values for decisions: the engine calls `redactSnippet`,
 * whose rules (sensitive names withheld whole; tokens, card numbers, digit runs and email
 * local parts masked) live with the rest of the redaction in src/observe/redact.ts.
 */
export { redactSnippet } from "../observe/redact.js";
