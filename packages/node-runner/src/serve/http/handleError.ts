import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PasticheInputError } from '@pastiche/core';
import { HttpError, limitExceeded } from '../../errors/HttpError.ts';
import { JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';

/** Every error reply has one shape: {statusCode, error, field?, limit?}; the server keeps serving whatever was thrown. */
export function createErrorHandler(maxBodyMb: number, log: (line: string) => void) {
  return (thrown: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const error = toHttpError(thrown, maxBodyMb);
    if (error.statusCode >= 500) log(`internal error on ${request.method} ${request.url.split('?')[0]}: ${(thrown as Error).stack ?? thrown}`);
    if (error.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer realm="pastiche"');
    if (error.retryAfterSeconds !== undefined || error.statusCode === 429) reply.header('Retry-After', String(error.retryAfterSeconds ?? 5));
    reply.code(error.statusCode).send({
      statusCode: error.statusCode,
      error: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.limit ? { limit: error.limit } : {}),
    });
  };
}

function toHttpError(error: FastifyError | Error, maxBodyMb: number): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof PasticheInputError) return new HttpError(400, error.message, error.field);
  const code = (error as FastifyError).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return limitExceeded('body', 'maxBodyMb', maxBodyMb, `the request body is larger than ${maxBodyMb} MB`, 413);
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new HttpError(415, `content-type: expected ${JOB_CONTENT_TYPE} (a 4-byte header length, the JSON header, then the images)`, 'content-type');
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return new HttpError(status, error.message);
  return new HttpError(500, `internal error: ${error.message}`);
}
