import { CliError } from './CliError.ts';
import { defaultConfigDir } from '../serve/runnerConfig.ts';
import { addUserToken, listUserTokens, revokeUserToken } from '../serve/userTokens.ts';

export const TOKEN_HELP = `Usage: pastiche token add NAME [--operator] | list | revoke NAME

Tokens per user for pastiche serve (besides the pairing token): each job belongs to its token's name, and only
that token sees, streams, downloads or cancels it (others get 404); a team pool shares its workers fairly between
names. --operator makes a token like the pairing token: it sees and cancels every job and has no per-user quota.
A token is shown once, when added; the runner keeps only its SHA-256 (in $PASTICHE_CONFIG_DIR, else
$XDG_CONFIG_HOME/pastiche, else ~/.config/pastiche); list prints names, roles and dates, never a token. Revoking
takes effect on the next request, without restarting the runner.`;

export async function tokenCommand(argv: string[]): Promise<void> {
  const operator = argv.includes('--operator');
  const [action, name, ...extra] = argv.filter((arg) => arg !== '--operator');
  const configDir = defaultConfigDir();
  const fail = (message: string) => {
    throw new CliError(`${message}\n${TOKEN_HELP}`, 2);
  };
  if (extra.length) fail(`unexpected ${extra.join(' ')}`);
  if (operator && action !== 'add') fail('--operator goes with token add');
  try {
    if (action === 'add' && name) {
      process.stdout.write(`${await addUserToken(configDir, name, operator ? 'operator' : 'user')}\n`);
      process.stderr.write(`${operator ? 'operator ' : ''}token for ${name}: shown once; they paste it into the plugin as the runner token\n`);
    } else if (action === 'revoke' && name) {
      if (!(await revokeUserToken(configDir, name))) throw new CliError(`no token named ${name} (pastiche token list)`, 1);
      process.stdout.write(`revoked ${name}\n`);
    } else if (action === 'list' && !name) {
      for (const user of await listUserTokens(configDir)) process.stdout.write(`${user.name}\t${user.role}\t${user.createdAt}\n`);
    } else {
      fail(action ? `unknown or incomplete: token ${argv.join(' ')}` : 'token: add, list or revoke?');
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError((error as Error).message, 1);
  }
}
