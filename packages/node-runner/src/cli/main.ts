#!/usr/bin/env node
import { PasticheInputError } from '@pastiche/core';
import { SERVE_HELP, serveCommand } from './serveCommand.ts';
import { BACKENDS_HELP, backendsCommand } from './backendsCommand.ts';
import { CliError } from './CliError.ts';
import { PRESETS_HELP, presetsCommand } from './presetsCommand.ts';
import { relaunchWithMallocTuning } from './relaunchWithMallocTuning.ts';
import { STYLIZE_HELP, stylizeCommand } from './stylizeCommand.ts';
import { TOKEN_HELP, tokenCommand } from './tokenCommand.ts';
import { WORKER_HELP, workerCommand } from './workerCommand.ts';
import { userFacingFlag } from './userFacingFlag.ts';

const USAGE = `Usage: pastiche <command> [options]

Commands:
  stylize    paint a content image in the style of one or several style images
             (pastiche stylize --help for every option)
  serve      run the local runner the editor plugins send big renders to
             (pastiche serve --help)
  worker     paint the jobs of a team pool (pastiche serve --queue); pastiche worker --help
  token      issue, list or revoke per-user runner tokens (pastiche token --help)
  backends   list the engines, which load here, their devices and limits
  presets    list the style presets (--style preset:ID) and their credits

  pastiche --version`;

const VERSION = '0.1.0';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'stylize':
      if (!rest.includes('--help') && !rest.includes('-h')) {
        const relaunched = await relaunchWithMallocTuning();
        if (relaunched !== undefined) return relaunched;
      }
      await stylizeCommand(rest);
      return 0;
    case 'serve':
      await serveCommand(rest);
      return 0;
    case 'worker':
      await workerCommand(rest);
      return 0;
    case 'token':
      if (rest[0] === '--help' || rest[0] === '-h') process.stdout.write(`${TOKEN_HELP}\n`);
      else await tokenCommand(rest);
      return 0;
    case 'backends':
      await backendsCommand(rest);
      return 0;
    case 'presets':
      if (rest[0] === '--help' || rest[0] === '-h') process.stdout.write(`${PRESETS_HELP}\n`);
      else presetsCommand();
      return 0;
    case '--version':
    case '-v':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${({ stylize: STYLIZE_HELP, serve: SERVE_HELP, worker: WORKER_HELP, token: TOKEN_HELP, backends: BACKENDS_HELP, presets: PRESETS_HELP } as Record<string, string>)[rest[0]] ?? USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new CliError(`unknown command "${command}"\n${USAGE}`, 2);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof PasticheInputError) {
      process.stderr.write(`pastiche: ${userFacingFlag(error.field)}: ${error.message.slice(error.field.length + 2)}\n`);
      process.exit(2);
    }
    const code = error instanceof CliError ? error.exitCode : 1;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`pastiche: ${message}\n`);
    if (!(error instanceof CliError) && process.env.PASTICHE_DEBUG) console.error(error);
    process.exit(code);
  },
);
