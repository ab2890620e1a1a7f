/** An address the panels accept for the runner or the weights: http(s), no spaces, at most 2048 characters. */
export const isHttpUrl = (value: unknown): value is string => typeof value === 'string' && value.length <= 2048 && /^https?:\/\/[^\s]+$/.test(value);
