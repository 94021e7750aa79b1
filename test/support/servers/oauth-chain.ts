/**
 * The chain a mail provider runs for OAuth 2.0, on loopback: an authorization server
 * (test/support/oauth/authorization-server.ts) issues tokens; a Dovecot used only for auth
 * validates each one against that server's RFC 7662 introspection endpoint (Dovecot 2.3's
 * `oauth2` passdb, `introspection_mode = post`, `force_introspection = yes`); and a Postfix
 * submission service (STARTTLS) takes SASL from that Dovecot, so it offers
 * `AUTH XOAUTH2 OAUTHBEARER` and answers a bad token with Dovecot's 334 error JSON and 535.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startAuthorizationServer } from '../oauth/authorization-server';
import type { AuthorizationServer } from '../oauth/authorization-server';
import { makeServerRoot, startDaemon } from './daemon';
import type { Daemon } from './daemon';
import { startPostfix } from './postfix';
import type { PostfixInstance, PostfixUser } from './postfix';
import { DOVECOT, requirePostfixAndDovecot } from './prerequisites';
import { sleep, tailFile } from './processes';

export interface OAuthChainOptions {
  /** Access token lifetime. Default 3 s, so a test can outlive one. */
  readonly accessTokenSeconds?: number;
  readonly clientId?: string;
  readonly clientSecret?: string;
}

export interface OAuthChain {
  readonly authServer: AuthorizationServer;
  readonly postfix: PostfixInstance;
  /** The submission port whose AUTH is XOAUTH2 / OAUTHBEARER through the oauth2 passdb. */
  readonly port: number;
  /** The account the authorization server signs in (alice of the Postfix domain). */
  readonly user: PostfixUser;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  /** The auth Dovecot's log (for diagnostics). */
  dovecotLog(): string;
  stop(): Promise<void>;
}

/** Dovecot's oauth2 passdb settings (dovecot-oauth2.conf.ext). */
export function oauth2PassdbConf(introspectionUrl: string): string {
  return [
    'introspection_mode = post',
    `introspection_url = ${introspectionUrl}`,
    'username_attribute = username',
    'active_attribute = active',
    'active_value = true',
    // Validate every token with the server, even one whose introspection was seen before.
    'force_introspection = yes',
    '',
  ].join('\n');
}

/** An auth-only Dovecot (no protocols) with the oauth2 passdb and a socket Postfix may use. */
export function authDovecotConf(root: string, passdbConf: string, instanceName: string): string {
  return `# Auth only: SASL for Postfix through the oauth2 passdb.
instance_name = ${instanceName}
base_dir = ${root}/run
state_dir = ${root}/state
log_path = ${root}/dovecot.log
info_log_path = ${root}/dovecot.log
protocols =
auth_mechanisms = xoauth2 oauthbearer
auth_failure_delay = 0
auth_verbose = yes
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${passdbConf}
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=/nonexistent
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
`;
}

async function startAuthDovecot(root: string, introspectionUrl: string, deadline: number): Promise<{ daemon: Daemon; socket: string }> {
  for (const dir of ['run', 'state']) fs.mkdirSync(path.join(root, dir), { mode: 0o755 });
  const passdb = path.join(root, 'dovecot-oauth2.conf.ext');
  fs.writeFileSync(passdb, oauth2PassdbConf(introspectionUrl));
  const conf = path.join(root, 'dovecot.conf');
  fs.writeFileSync(conf, authDovecotConf(root, passdb, `sae-oauth-${path.basename(root)}`));
  const daemon = startDaemon({ name: 'dovecot (oauth2 auth)', command: DOVECOT, args: ['-F', '-c', conf], graceMs: 5000 });
  const socket = path.join(root, 'run', 'auth-postfix');
  while (!fs.existsSync(socket)) {
    const dead = daemon.exited();
    if (dead !== undefined) throw new Error(`${dead}\n${daemon.stderr()}\n${tailFile(path.join(root, 'dovecot.log'), 20)}`);
    if (Date.now() > deadline) throw new Error(`the auth Dovecot's socket ${socket} did not appear`);
    await sleep(20);
  }
  return { daemon, socket };
}

export async function startOAuthChain(options: OAuthChainOptions = {}): Promise<OAuthChain> {
  requirePostfixAndDovecot();
  const deadline = Date.now() + 45_000;
  const clientId = options.clientId ?? 'send-as-email-tests';
  const domain = 'example.test';
  const authServer = await startAuthorizationServer({
    clientId,
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
    username: `alice@${domain}`,
    accessTokenSeconds: options.accessTokenSeconds ?? 3,
    scope: 'https://mail.example.test/smtp',
  });
  // Postfix (user postfix) must reach the socket: the folder is world-traversable.
  const root = makeServerRoot('sae-oauth-', 0o755);
  let daemon: Daemon | undefined;
  let postfix: PostfixInstance | undefined;
  const stop = async (): Promise<void> => {
    await postfix?.stop();
    await daemon?.stop();
    await authServer.close();
    root.remove();
  };
  try {
    const dovecot = await startAuthDovecot(root.dir, authServer.introspectUrl, deadline);
    daemon = dovecot.daemon;
    postfix = await startPostfix({ domain, extraSubmissionSaslPath: dovecot.socket, startTimeoutMs: Math.max(5000, deadline - Date.now()) });
    const port = postfix.extraSubmissionPort;
    if (port === undefined) throw new Error('Postfix did not start the OAuth submission service');
    return {
      authServer,
      postfix,
      port,
      user: postfix.user('alice'),
      clientId,
      clientSecret: options.clientSecret,
      dovecotLog: () => tailFile(path.join(root.dir, 'dovecot.log'), 200),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
