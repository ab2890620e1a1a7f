/**
 * The wire protocol of `pastiche serve` (HTTP API under /v1), as TypeBox schemas with their static types:
 * the runner validates and documents its routes with them, the runner client reads its replies with them.
 * One definition, imported by both ends, so that they cannot drift.
 */
export * from './jobSchemas.ts';
export * from './healthSchema.ts';
export * from './errorReplySchema.ts';
export * from './jobEnvelope.ts';
