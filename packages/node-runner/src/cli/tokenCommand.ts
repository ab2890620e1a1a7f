import { CliError } from './CliError.ts';
import { defaultConfigDir } from '../serve/runnerConfig.ts';
import { addUserToken, listUserTokens, revokeUserToken } from '../serve/userTokens.ts';

export const TOKEN_HELP = `Usage: pastiche token add NAME | list | revoke NAME

Tokens per user for pastiche serve (besides the pairing token): each job carries its token's name, and a team
pool shares its workers fairly between names. A token is shown once, when added; the runner keeps only its hash
(in $PASTICHE_CONFIG_DIR, else $XDG_CONFIG_HOME/pastiche, else ~/.config/pastiche). Revoking takes effect on the
next request, without restarting the runner.`;

export async function tokenCommand(argv: string[]): Promise<void> {
  const [action, name, ...extra] = argv;
  const configDir = defaultConfigDir();
  const fail = (message: string) => {
    throw new CliError(`${message}\n${TOKEN_HELP}`, 2);
  };
  if (extra.length) fail(`unexpected ${extra.join(' ')}`);
  try {
    if (action === 'add' && name) {
      process.stdout.write(`${await addUserToken(configDir, name)}\n`);
      process.stderr.write(`token for ${name}: shown once; they paste it into the plugin as the runner token\n`);
    } else if (action === 'revoke' && name) {
      if (!(await revokeUserToken(configDir, name))) throw new CliError(`no token named ${name} (pastiche token list)`, 1);
      process.stdout.write(`revoked ${name}\n`);
    } else if (action === 'list' && !name) {
      for (const user of await listUserTokens(configDir)) process.stdout.write(`${user.name}\t${user.createdAt}\n`);
    } else {
      fail(action ? `unknown or incomplete: token ${argv.join(' ')}` : 'token: add, list or revoke?');
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError((error as Error).message, 1);
  }
}
