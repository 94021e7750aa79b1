/**
 * Configuration text for a private Postfix + Dovecot test instance. Pure functions, so the
 * settings that mattered are readable in one place.
 */
import path from 'node:path';

export interface MailUser {
  readonly address: string;
  readonly password: string;
  /** Maildir path relative to the virtual mailbox base, ending in `/` (Maildir, not mbox). */
  readonly maildir: string;
}

export interface InstanceLayout {
  /** Postfix config_directory (main.cf, master.cf, vmailbox, cert and key). */
  readonly etcDir: string;
  readonly queueDir: string;
  readonly dataDir: string;
  readonly maillog: string;
  /** Root of the instance; the only folder Postfix may write its log under. */
  readonly root: string;
  readonly mailBase: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly dovecotBaseDir: string;
  readonly dovecotStateDir: string;
  readonly dovecotLog: string;
  readonly dovecotUsers: string;
  /** Dovecot auth socket Postfix's smtpd asks for SASL (directly inside dovecotBaseDir). */
  readonly authSocket: string;
}

export interface InstancePorts {
  readonly smtp: number;
  readonly submission: number;
  readonly smtps: number;
  readonly imap: number;
  /**
   * A second submission service (STARTTLS required) whose SASL goes to another Dovecot auth
   * socket (`PostfixOptions.extraSubmissionSaslPath`): the OAuth chain (oauth-chain.ts).
   */
  readonly extraSubmission?: { readonly port: number; readonly saslPath: string };
}

/** uid/gid the Maildirs belong to (nobody/nogroup on Debian). */
export const MAIL_UID = 65534;
export const MAIL_GID = 65534;

export function mainCf(layout: InstanceLayout, domains: readonly string[], messageSizeLimit: number): string {
  return [
    '# Private test instance: loopback only, nothing ever leaves the machine.',
    'compatibility_level = 3.6',
    `queue_directory = ${layout.queueDir}`,
    `data_directory = ${layout.dataDir}`,
    // Without its folder in maillog_file_prefixes, `postfix start` exits 1 with no message.
    `maillog_file = ${layout.maillog}`,
    `maillog_file_prefixes = ${layout.root}`,
    'myhostname = mail.example.test',
    'mydomain = example.test',
    'myorigin = $mydomain',
    'inet_protocols = ipv4',
    'inet_interfaces = loopback-only',
    'mynetworks = 127.0.0.0/8',
    // No local delivery, no aliases, no relay: only the virtual domains below are served.
    'mydestination =',
    'local_recipient_maps =',
    'local_transport = error:5.1.1 local delivery is disabled in this test instance',
    'alias_maps =',
    'alias_database =',
    'relay_domains =',
    'default_transport = error:5.7.1 this test instance delivers nowhere else',
    'relay_transport = error:5.7.1 this test instance delivers nowhere else',
    'notify_classes =',
    `virtual_mailbox_domains = ${domains.join(', ')}`,
    `virtual_mailbox_base = ${layout.mailBase}`,
    `virtual_mailbox_maps = texthash:${layout.etcDir}/vmailbox`,
    `virtual_uid_maps = static:${MAIL_UID}`,
    `virtual_gid_maps = static:${MAIL_GID}`,
    // A limit below message_size_limit makes delivery fail and stall for 60 s.
    'virtual_mailbox_limit = 0',
    'mailbox_size_limit = 0',
    `message_size_limit = ${messageSizeLimit}`,
    'smtputf8_enable = yes',
    // Empty: Postfix adds no Date/Message-Id/From to what clients send, keeping it comparable.
    'local_header_rewrite_clients =',
    'smtpd_banner = $myhostname ESMTP',
    'biff = no',
    'append_dot_mydomain = no',
    'readme_directory = no',
    'disable_vrfy_command = yes',
    'in_flow_delay = 0',
    'smtpd_error_sleep_time = 0',
    // Recipients outside the served domains are refused at RCPT (554 5.7.1 Relay access denied),
    // even for authenticated clients: this instance relays nothing.
    'smtpd_relay_restrictions = reject_unauth_destination',
    'smtpd_recipient_restrictions =',
    `smtpd_tls_cert_file = ${layout.certPath}`,
    `smtpd_tls_key_file = ${layout.keyPath}`,
    'smtpd_tls_security_level = may',
    'smtpd_tls_loglevel = 0',
    'smtpd_sasl_type = dovecot',
    `smtpd_sasl_path = ${layout.authSocket}`,
    'smtpd_sasl_auth_enable = no',
    'smtpd_tls_auth_only = yes',
    '',
  ].join('\n');
}

/** master.cf: Debian's services with chroot off (the instance folder has no chroot jail). */
export function masterCf(ports: InstancePorts): string {
  const authOnly = '-o smtpd_client_restrictions=permit_sasl_authenticated,reject';
  const rows = [
    `127.0.0.1:${ports.smtp} inet n - n - - smtpd`,
    `127.0.0.1:${ports.submission} inet n - n - - smtpd -o syslog_name=postfix/submission -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes ${authOnly}`,
    `127.0.0.1:${ports.smtps} inet n - n - - smtpd -o syslog_name=postfix/smtps -o smtpd_tls_wrappermode=yes -o smtpd_sasl_auth_enable=yes ${authOnly}`,
    ...(ports.extraSubmission === undefined
      ? []
      : [
          `127.0.0.1:${ports.extraSubmission.port} inet n - n - - smtpd -o syslog_name=postfix/submission-extra -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes -o smtpd_sasl_path=${ports.extraSubmission.saslPath} ${authOnly}`,
        ]),
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'tlsmgr unix - - n 1000? 1 tlsmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'proxywrite unix - - n - 1 proxymap',
    'smtp unix - - n - - smtp',
    'relay unix - - n - - smtp',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'local unix - n n - - local',
    'virtual unix - n n - - virtual',
    'lmtp unix - - n - - lmtp',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    // maillog_file is written by postlogd.
    'postlog unix-dgram n - n - 1 postlogd',
  ];
  return `${rows.join('\n')}\n`;
}

/** texthash: map for virtual_mailbox_maps (no postmap needed). `@domain` lines are catch-alls. */
export function virtualMailboxMap(users: readonly MailUser[], catchAlls: ReadonlyMap<string, string>): string {
  const lines = users.map((user) => `${user.address} ${user.maildir}`);
  for (const [domain, maildir] of catchAlls) lines.push(`@${domain} ${maildir}`);
  return `${lines.join('\n')}\n`;
}

/** Dovecot passwd-file: user:password:uid:gid:gecos:home:shell, passwords in scheme PLAIN. */
export function dovecotPasswdFile(users: readonly MailUser[], mailBase: string): string {
  return users
    .map((user) => {
      if (/[:\r\n]/.test(user.password)) throw new Error(`password for ${user.address} must not contain ':' or line breaks`);
      return `${user.address}:${user.password}:${MAIL_UID}:${MAIL_GID}::${mailBase}/${user.maildir.replace(/\/$/, '')}::`;
    })
    .join('\n')
    .concat('\n');
}

export function dovecotConf(layout: InstanceLayout, ports: InstancePorts, instanceName: string): string {
  return `# Private Dovecot for the test instance: IMAP on loopback, SASL for Postfix.
instance_name = ${instanceName}
base_dir = ${layout.dovecotBaseDir}
state_dir = ${layout.dovecotStateDir}
log_path = ${layout.dovecotLog}
info_log_path = ${layout.dovecotLog}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Otherwise a failed login delays the next one by seconds.
auth_failure_delay = 0
auth_verbose = yes
# The Maildir tree Postfix's virtual(8) writes (virtual_mailbox_base/<domain>/<user>/).
mail_location = maildir:${layout.mailBase}/%d/%n
first_valid_uid = ${MAIL_UID}
last_valid_uid = ${MAIL_UID}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${layout.dovecotUsers}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${layout.dovecotUsers}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${ports.imap}
  }
  inet_listener imaps {
    port = 0
  }
}
# Auth penalty (anvil) would delay every login from 127.0.0.1 by 2 to 15 s after a failed one,
# and the tests try wrong passwords on purpose.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  unix_listener ${path.basename(layout.authSocket)} {
    mode = 0660
    user = postfix
    group = postfix
  }
}
`;
}
