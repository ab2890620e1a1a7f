import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** A message as it travels: `{ name, payload }`. */
export interface Envelope<Name extends string = string, Payload = unknown> {
  name: Name;
  payload: Payload;
}

export type ParsedMessage<Schemas extends Record<string, TSchema>> = {
  [N in keyof Schemas & string]: Envelope<N, Static<Schemas[N]>>;
}[keyof Schemas & string];

/** Thrown for a message that does not fit its schema; says which field and why. */
export class MessageError extends Error {
  override name = 'MessageError';
}

/** Checks that `data` is one of the messages in `schemas`; throws MessageError naming the field otherwise. */
export function parseMessage<Schemas extends Record<string, TSchema>>(schemas: Schemas, data: unknown): ParsedMessage<Schemas> {
  if (typeof data !== 'object' || data === null) throw new MessageError('message: expected an object { name, payload }');
  const { name, payload } = data as Partial<Envelope>;
  if (typeof name !== 'string' || !Object.hasOwn(schemas, name)) {
    throw new MessageError(`message.name: expected one of ${Object.keys(schemas).join(', ')}, got ${JSON.stringify(name)}`);
  }
  const error = Value.Errors(schemas[name], payload).First();
  if (error) {
    const field = `${name}${error.path.replaceAll('/', '.')}`;
    throw new MessageError(`${field}: ${error.message}${typeof error.value === 'object' ? '' : `, got ${JSON.stringify(error.value)}`}`);
  }
  return { name, payload } as ParsedMessage<Schemas>;
}
