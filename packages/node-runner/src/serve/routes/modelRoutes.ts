import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { HttpError } from '../../errors/HttpError.ts';
import { ErrorReplySchema } from '@pastiche/web-bridge/wire';
import { ModelParamsSchema, ShardParamsSchema } from '../http/routeParamSchemas.ts';
import type { ServedModel } from '../models/createServedModel.ts';
import type { RunnerContext } from '../RunnerContext.ts';

const errors = { '4xx': ErrorReplySchema, '5xx': ErrorReplySchema };

/**
 * The runner's weights in TensorFlow.js layers format, so that a browser host loads them from here (with a
 * fetch that sends the token) instead of downloading them again: `model.json`, then the shards it names.
 */
export function registerModelRoutes(app: FastifyInstance, ctx: RunnerContext): void {
  const modelNamed = (name: string): ServedModel => {
    const served = ctx.servedModels.get(name);
    if (!served) throw new HttpError(404, `no model ${name} on this runner; available: ${ctx.models.join(', ')}`, 'name');
    return served;
  };

  app.get<{ Params: { name: string } }>(
    '/v1/models/:name/model.json',
    { schema: { params: ModelParamsSchema, response: { 200: Type.Object({}, { additionalProperties: true, description: 'a TensorFlow.js layers-format model.json' }), ...errors } }, config: { auth: 'bearer' } },
    async (request, reply) => {
      const modelJson = await modelNamed(request.params.name).modelJson();
      reply.header('Cache-Control', 'private, max-age=3600');
      return modelJson;
    },
  );

  app.get<{ Params: { name: string; shard: string } }>(
    '/v1/models/:name/:shard',
    { schema: { params: ShardParamsSchema, response: errors }, config: { auth: 'bearer' } },
    async (request, reply) => {
      const { name, shard } = request.params;
      const bytes = await modelNamed(name).shard(shard);
      if (!bytes) throw new HttpError(404, `model ${name} has no weight file ${shard}; its model.json lists the files`, 'shard');
      return reply
        .type('application/octet-stream')
        .header('Cache-Control', 'private, max-age=3600')
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );
}
