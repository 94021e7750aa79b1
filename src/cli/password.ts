/**
 * The password for the command line: from SEND_AS_EMAIL_PASSWORD, or asked on the terminal with
 * no echo. Never from an argument (arguments show in `ps` and shell history).
 */
import { ConfigError } from './config';

export async function readPassword(prompt: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env['SEND_AS_EMAIL_PASSWORD'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const input = process.stdin;
  if (!input.isTTY) {
    throw new ConfigError('a password is needed: set SEND_AS_EMAIL_PASSWORD or run on a terminal to be asked');
  }
  process.stderr.write(prompt);
  return new Promise<string>((resolve, reject) => {
    let password = '';
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const finish = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      process.stderr.write('\n');
      if (error === undefined) resolve(password);
      else reject(error);
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new ConfigError('cancelled'));
        if (char === '\u007f' || char === '\b') password = password.slice(0, -1);
        else password += char;
      }
    };
    input.on('data', onData);
  });
}
