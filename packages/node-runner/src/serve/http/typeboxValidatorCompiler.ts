import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifySchemaCompiler } from 'fastify';
import { PasticheInputError } from '@pastiche/core';
import { describeValueError } from './describeValueError.ts';

const ROOTS: Record<string, string> = { body: '', params: 'params', querystring: 'query', headers: 'headers' };

/**
 * Validates with TypeBox instead of fastify's Ajv: no type coercion, no silently removed properties (Ajv's
 * fastify defaults), and errors worded and named exactly like the core's (`options.size: expected an integer
 * from 16 to 8192, got "big"`), as a PasticheInputError that the error handler turns into a 400.
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const root = ROOTS[httpPart ?? 'body'] ?? httpPart ?? '';
  return (data: unknown) => {
    if (check.Check(data)) return { value: data };
    const first = check.Errors(data).First()!;
    const { field, problem } = describeValueError(first, root);
    return { error: new PasticheInputError(field, problem) };
  };
};
