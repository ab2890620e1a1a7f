import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './CliError.ts';

/** A command's flags, strict and without positionals; a mistake is a usage error (exit 2) pointing at its --help. */
export function parseCommandFlags<const O extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options });
  } catch (error) {
    throw new CliError(`${(error as Error).message.replace(/\s*\n\s*/g, ' ')} (see pastiche ${command} --help)`, 2);
  }
}
