import { Type } from '@sinclair/typebox';

/** Route parameters and query strings, checked by typeboxValidatorCompiler; bodies and replies are in @pastiche/web-bridge/wire. */
export const JobParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const ModelParamsSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 32 }) });
export const ShardParamsSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 32 }), shard: Type.String({ minLength: 1, maxLength: 255 }) });
/** EventSource and <img> cannot send headers: the events and result routes also take the token here. */
export const TokenQuerySchema = Type.Object({ token: Type.Optional(Type.String({ maxLength: 256 })) });
