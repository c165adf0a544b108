import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createClock } from '../clock.js';
import { ActionError, InputError } from '../errors.js';
import { lazyTransport } from '../http/lazy.js';
import { checkForeignInputs, chooseProvider } from '../providers/index.js';
import type { ProviderContext } from '../providers/provider.js';
import { oneLine } from '../action/one-line.js';
import { createInputReader } from '../settings/inputs.js';
import { secretKind, showValue } from '../settings/value-shape.js';
import { formatInspection, InspectError, inspectJwt, publicKeyFrom } from './inspect.js';
import { HELP } from './help.js';
import { describeTime } from './relative-time.js';

export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
}

/** A usage problem: exit code 2, with a pointer to --help. A flag value of the wrong form is one too. */
class UsageError extends Error {}

/**
 * A question on the terminal: 'plain' echoes the answer, 'hidden' echoes nothing (a secret), 'key' echoes a
 * path but not a key pasted whole (from its BEGIN line on, until its END line).
 */
type Ask = (question: string, mode?: 'plain' | 'hidden' | 'key') => Promise<string>;

const OPTIONS = {
  sign: ['provider', 'app-id', 'private-key-file', 'kms-key', 'expires-in', 'acl', 'subject'],
  token: [
    'provider',
    'app-id',
    'private-key-file',
    'kms-key',
    'jwt',
    'expires-in',
    'enterprise',
    'owner',
    'repositories',
    'installation-id',
    'permissions',
    'api-url',
    'client-id',
    'client-secret',
    'server-url',
  ],
  inspect: ['public-key', 'private-key-file'],
} as const;

type Command = keyof typeof OPTIONS;

/** Input names as the CLI spells them, for messages. */
const FLAG_OF_INPUT: Record<string, string> = {
  'private-key': '--private-key-file',
  'jwt-expires-in': '--expires-in',
  'github-api-url': '--api-url',
};

const INPUT_OF_FLAG: Record<string, string> = Object.fromEntries(
  Object.entries(FLAG_OF_INPUT).map(([input, flag]) => [flag.slice(2), input]),
);

function parse(command: Command, args: string[]) {
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } };
  for (const name of OPTIONS[command]) options[name] = { type: 'string' };
  try {
    return parseArgs({ args, options, allowPositionals: command === 'inspect', strict: true });
  } catch (error) {
    throw new UsageError(
      (error as Error).message
        .replace(/\. To specify a positional.*$/s, '.')
        .replace(/\s*\n\s*/g, ' ')
        .replace(/([^.])$/, '$1.'),
    );
  }
}

/** The providers' injected interface for a terminal: messages on stderr, nothing to mask. */
function terminalContext(io: CliIo): ProviderContext {
  // Server text reaches these lines too: one line each, control characters shown, nothing secret-shaped.
  const info = (message: string) => void io.stderr.write(`${oneLine(message)}\n`);
  return {
    log: {
      info,
      notice: (message) => info(`notice: ${message}`),
      warning: (message) => info(`warning: ${message}`),
      debug: () => undefined,
    },
    mask: () => undefined,
    clock: createClock(),
    env: io.env,
    transport: lazyTransport(io.env, info),
  };
}

/** A value from its flag, else an environment variable, else a prompt on a terminal, else a usage error. */
async function resolve(
  io: CliIo,
  ask: Ask,
  flag: string | undefined,
  env: string[],
  question: string,
  name: string,
  mode: 'plain' | 'hidden' | 'key' = 'plain',
): Promise<string> {
  if (flag) return flag;
  for (const variable of env) if (io.env[variable]) return io.env[variable]!;
  if (io.stdin.isTTY) {
    const answer = (await ask(question, mode)).trim();
    if (answer) return answer;
  }
  throw new UsageError(`${name} is missing: give ${name}${env.length ? ` or set ${env.join(' or ')}` : ''}.`);
}

function readKeyFile(path: string, flag: string): string {
  // A key (or a token) where its path belongs: say what it is, never quote it.
  if (secretKind(path, false) || /[\r\n]/.test(path))
    throw new UsageError(
      `${flag}: holds ${showValue(path)}, not a file path. Give the path of the .pem file (or the key itself in PRIVATE_KEY).`,
    );
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ActionError(
      `${flag} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`,
    );
  }
}

async function privateKeyText(io: CliIo, ask: Ask, file: string | undefined): Promise<string> {
  if (file) return readKeyFile(file, '--private-key-file');
  if (io.env.PRIVATE_KEY) return io.env.PRIVATE_KEY;
  const path = await resolve(
    io,
    ask,
    undefined,
    ['PRIVATE_KEY_FILE'],
    'Path of the private key (PEM) file: ',
    '--private-key-file',
    'key',
  );
  // The key pasted whole at the prompt (not echoed) is taken as it is.
  if (/^\s*-----BEGIN /.test(path)) return path;
  return readKeyFile(path, '--private-key-file');
}

async function credentialsFor(
  command: 'sign' | 'token',
  values: Record<string, string | undefined>,
  io: CliIo,
  ask: Ask,
) {
  const provider = values.provider ?? 'github';
  const inputs: Record<string, string | undefined> = { provider };
  if (command === 'sign' && provider !== 'github' && provider !== 'vonage')
    throw new UsageError(
      `sign makes GitHub and Vonage JWTs; for RingCentral use: app-jwt token --provider ringcentral.`,
    );
  if (command === 'token' && provider === 'vonage')
    throw new UsageError('Vonage takes the signed JWT itself as its token: use app-jwt sign --provider vonage.');
  if (provider === 'ringcentral') {
    inputs.jwt = await resolve(io, ask, values.jwt, ['RC_JWT'], 'JWT credential (not shown): ', '--jwt', 'hidden');
    inputs['client-id'] = await resolve(io, ask, values['client-id'], ['RC_CLIENT_ID'], 'Client ID: ', '--client-id');
    inputs['client-secret'] = await resolve(
      io,
      ask,
      values['client-secret'],
      ['RC_CLIENT_SECRET'],
      'Client secret (not shown): ',
      '--client-secret',
      'hidden',
    );
    inputs['server-url'] = values['server-url'] ?? io.env.RC_SERVER_URL;
  } else {
    if (values.jwt && command === 'token') inputs.jwt = values.jwt;
    else if (values['kms-key']) inputs['kms-key'] = values['kms-key'];
    else inputs['private-key'] = await privateKeyText(io, ask, values['private-key-file']);
    if (!inputs.jwt) inputs['app-id'] = await resolve(io, ask, values['app-id'], ['APP_ID'], 'App ID: ', '--app-id');
    inputs['jwt-expires-in'] = values['expires-in'];
    inputs.acl = values.acl;
    inputs.subject = values.subject;
    if (command === 'token') {
      Object.assign(inputs, {
        exchange: 'true',
        owner: values.owner,
        repositories: values.repositories,
        'installation-id': values['installation-id'],
        enterprise: values.enterprise,
        permissions: values.permissions,
        'github-api-url': values['api-url'],
      });
    }
  }
  // A flag the chosen provider does not read is passed on as its input, so it is refused as the action refuses
  // another provider's input, not silently ignored (--owner with RingCentral, --jwt beside --private-key-file).
  for (const [flag, value] of Object.entries(values)) {
    const input = INPUT_OF_FLAG[flag] ?? flag;
    if (value !== undefined && inputs[input] === undefined) inputs[input] = value;
  }
  try {
    const read = createInputReader((name) => (inputs[name] ?? '').trim());
    const provider = chooseProvider(read);
    checkForeignInputs(read, provider);
    const context = terminalContext(io);
    const settings = await provider.readSettings(read, {
      env: io.env,
      clock: context.clock,
      warn: context.log.warning,
    });
    return await provider.issue(settings, context);
  } catch (error) {
    // A value of the wrong form is a usage error (exit 2), named as the flag; a refusal by a service is not.
    if (error instanceof InputError) {
      const flag = FLAG_OF_INPUT[error.input] ?? `--${error.input}`;
      throw new UsageError(`${flag}: ${error.detail}`);
    }
    throw error;
  }
}

async function inspect(values: Record<string, string | undefined>, positionals: string[], io: CliIo): Promise<number> {
  let token = positionals[0];
  if (positionals.length > 1) throw new UsageError('inspect takes one JWT.');
  if (!token) {
    if (io.stdin.isTTY) throw new UsageError('give the JWT as an argument, or pipe it to stdin.');
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk));
    token = Buffer.concat(chunks).toString('utf8').trim();
  }
  const keyFile = values['public-key'] ?? values['private-key-file'];
  const keyFlag = values['public-key'] ? '--public-key' : '--private-key-file';
  let key;
  if (keyFile) {
    try {
      key = publicKeyFrom(readKeyFile(keyFile, keyFlag));
    } catch (error) {
      if (error instanceof ActionError || error instanceof UsageError) throw error;
      throw new ActionError(`${keyFlag} ${keyFile}: not a PEM key or certificate.`);
    }
  }
  const now = Math.floor(Date.now() / 1000);
  let inspection;
  try {
    inspection = inspectJwt(token, key, now);
  } catch (error) {
    if (error instanceof InspectError) throw new ActionError(`not a JWT: ${error.message}`);
    throw error;
  }
  io.stdout.write(formatInspection(inspection, now, keyFile) + '\n');
  return inspection.signatureValid === false || inspection.expired ? 1 : 0;
}

/** Runs one command; returns the exit code. Errors go to stderr, never a secret. */
export async function runCli(io: CliIo): Promise<number> {
  const [command, ...args] = io.argv;
  let prompt: ReturnType<typeof createInterface> | undefined;
  // readline echoes what is typed through `echo`, which stays shut while a secret is typed (a terminal is in
  // raw mode while readline reads it: nothing is echoed but what readline writes).
  let muted = false;
  const echo = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) io.stderr.write(chunk);
      done();
    },
  });
  const ask: Ask = (question, mode = 'plain') => {
    const rl = (prompt ??= createInterface({ input: io.stdin, output: echo, terminal: true }));
    return new Promise<string>((resolve, reject) => {
      const lines: string[] = [];
      const done = (settle: () => void) => {
        rl.off('line', onLine).off('close', onClose).off('SIGINT', onInterrupt);
        // The line end was not echoed either.
        if (muted) io.stderr.write('\n');
        muted = false;
        settle();
      };
      const onLine = (line: string) => {
        lines.push(line);
        if (mode === 'key' && /^\s*-----BEGIN /.test(lines[0])) {
          // A key pasted whole: its BEGIN line was shown, none of the rest is, up to its END line.
          muted = true;
          if (!/-----END [^-]*-----/.test(line)) return;
        }
        done(() => resolve(lines.join('\n')));
      };
      const onClose = () => done(() => resolve(lines.join('\n')));
      const onInterrupt = () => done(() => reject(new ActionError('cancelled at the prompt.')));
      rl.on('line', onLine).on('close', onClose).on('SIGINT', onInterrupt);
      muted = false;
      rl.setPrompt(question);
      rl.prompt();
      muted = mode === 'hidden';
    });
  };
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      (command ? io.stdout : io.stderr).write(HELP.main + '\n');
      return command ? 0 : 2;
    }
    if (!(command in OPTIONS)) throw new UsageError(`unknown command '${command}'.`);
    const { values, positionals } = parse(command as Command, args);
    if (values.help) {
      io.stdout.write(HELP[command as Command] + '\n');
      return 0;
    }
    const strings = values as Record<string, string | undefined>;
    if (command === 'inspect') return await inspect(strings, positionals, io);
    const credentials = await credentialsFor(command as 'sign' | 'token', strings, io, ask);
    // Several accounts: one `account<TAB>token` line each, the first account's first.
    const lines =
      Object.keys(credentials.tokens ?? {}).length > 1
        ? Object.entries(credentials.tokens ?? {}).map(([account, token]) => `${account}\t${token}`)
        : [credentials.token];
    io.stdout.write(lines.join('\n') + '\n');
    if (credentials.expiresAt) {
      const expiry = describeTime(
        Math.floor(credentials.expiresAt.getTime() / 1000),
        Math.floor(Date.now() / 1000),
        'expiry',
      );
      io.stderr.write(`${credentials.tokenType === 'jwt' ? 'JWT' : 'Token'} ${expiry}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `app-jwt: ${oneLine(error.message)}\nRun app-jwt ${command in OPTIONS ? `${command} ` : ''}--help for usage.\n`,
      );
      return 2;
    }
    io.stderr.write(
      `app-jwt: ${oneLine(error instanceof ActionError ? error.message : `unexpected error: ${(error as Error).message}`)}\n`,
    );
    return 1;
  } finally {
    prompt?.close();
  }
}
