import { Type, type TSchema } from '@sinclair/typebox';
import { StylizeOptionsSchema } from '@pastiche/core';

/** JSON schemas of every route: requests are validated against them (typeboxValidatorCompiler); replies follow them. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ description: 'ISO 8601' });

export const JobHeaderSchema = Type.Object(
  {
    options: Type.Optional(StylizeOptionsSchema),
    content: Type.Object({ bytes: Type.Integer({ minimum: 1, description: 'byte length of the content image file' }) }, { additionalProperties: false }),
    // No maxItems here: the runner's --max-styles answers with a 422 naming the limit.
    styles: Type.Array(
      Type.Object(
        {
          weight: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12, description: 'blend weight (default 1; normalised to sum 1)' })),
          bytes: Type.Integer({ minimum: 1, description: 'byte length of this style image file' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    preview: Type.Optional(
      Type.Object(
        {
          every: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'a preview every N evaluations (0 = none; default 10)' })),
          maxSide: Type.Optional(Type.Integer({ minimum: 16, maximum: 1024, description: 'longest side of a preview, px (default 256)' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const JobParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const ModelParamsSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 32 }) });
export const ShardParamsSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 32 }), shard: Type.String({ minLength: 1, maxLength: 255 }) });
/** EventSource and <img> cannot send headers: the events and result routes also take the token here. */
export const TokenQuerySchema = Type.Object({ token: Type.Optional(Type.String({ maxLength: 256 })) });

export const LimitSchema = Type.Object({ name: Type.String(), flag: Type.String(), value: Type.Number() });

export const ErrorReplySchema = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String({ description: 'what went wrong, naming the field and, for limits, the limit and its value' }),
  field: Type.Optional(Type.String({ description: 'the request field at fault: options.styleWeight, styles[1], content, header, …' })),
  limit: Type.Optional(LimitSchema),
});

const LossSchema = Type.Object({ total: Type.Number(), content: Type.Number(), style: Type.Number(), tv: Type.Number() });

export const ProgressSchema = Type.Object({
  scale: Type.Integer(),
  scales: Type.Integer(),
  width: Type.Integer(),
  height: Type.Integer(),
  evaluation: Type.Integer(),
  evaluations: Type.Integer(),
  totalEvaluation: Type.Integer(),
  totalEvaluations: Type.Integer(),
  loss: LossSchema,
  elapsedMs: Type.Number(),
  etaMs: Type.Number(),
});

export const JobErrorSchema = Type.Object({
  message: Type.String(),
  code: Type.Union([Type.Literal('input'), Type.Literal('out_of_memory'), Type.Literal('time_limit'), Type.Literal('internal')]),
  field: Type.Optional(Type.String()),
});

export const JobStateSchema = Type.Union(['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => Type.Literal(s)));

export const JobStatusSchema = Type.Object({
  id: Type.String(),
  status: JobStateSchema,
  queuePosition: Nullable(Type.Integer({ minimum: 1, description: '1 = next to run; null unless queued' })),
  progress: Nullable(ProgressSchema),
  error: Nullable(JobErrorSchema),
  cancelReason: Nullable(Type.String()),
  cancelRequested: Type.Boolean(),
  seed: Type.Integer(),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  result: Nullable(Type.Object({ width: Type.Integer(), height: Type.Integer(), bytes: Type.Integer() })),
  links: Type.Object({ self: Type.String(), events: Type.String(), result: Type.String() }),
});

export const JobAcceptedSchema = Type.Pick(JobStatusSchema, ['id', 'status', 'queuePosition', 'seed', 'links']);

export const HealthSchema = Type.Object({
  name: Type.Literal('pastiche'),
  version: Type.String(),
  backend: Type.String(),
  gpu: Type.Boolean(),
  models: Type.Array(Type.String()),
  limits: Type.Object({
    maxSide: Type.Integer(),
    maxPixels: Type.Integer(),
    maxBodyMb: Type.Number(),
    maxStyles: Type.Integer(),
    maxEvaluations: Type.Integer(),
    maxJobSeconds: Type.Number(),
    queueCap: Type.Integer(),
    concurrency: Type.Integer(),
    keepResultsMinutes: Type.Number(),
  }),
  queue: Type.Object({ queued: Type.Integer(), running: Type.Integer(), kept: Type.Integer() }),
  memory: Type.Object({ numTensors: Type.Integer(), numBytes: Type.Number() }),
});
