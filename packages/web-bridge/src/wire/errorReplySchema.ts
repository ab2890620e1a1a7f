import { Type, type Static } from '@sinclair/typebox';

/** A runner limit a request ran into, named as the setting and the flag that raises it. */
export const LimitSchema = Type.Object({ name: Type.String(), flag: Type.String(), value: Type.Number() });
export type LimitInfo = Static<typeof LimitSchema>;

/** Every error reply of the runner. */
export const ErrorReplySchema = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String({ description: 'what went wrong, naming the field and, for limits, the limit and its value' }),
  field: Type.Optional(Type.String({ description: 'the request field at fault: options.styleWeight, styles[1], content, header, …' })),
  limit: Type.Optional(LimitSchema),
});
export type ErrorReply = Static<typeof ErrorReplySchema>;
