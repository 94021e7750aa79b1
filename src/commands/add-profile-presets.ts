/**
 * The providers "Add SMTP Profile…" offers, in the order shown, with the page where each one
 * issues app passwords. Endpoints and advice come from core's PROVIDER_PRESETS; only what the
 * wizard adds lives here.
 */
export interface WizardPreset {
  /** A key of PROVIDER_PRESETS. */
  readonly key: string;
  /** The provider's own name (a brand: not translated). */
  readonly brand: string;
  /** Where the app password (or authorisation code) is made. */
  readonly passwordPage: string;
}

export const WIZARD_PRESETS: readonly WizardPreset[] = [
  { key: 'gmail', brand: 'Gmail', passwordPage: 'https://myaccount.google.com/apppasswords' },
  { key: 'outlook', brand: 'Outlook / Microsoft 365', passwordPage: 'https://account.microsoft.com/security' },
  { key: 'qq', brand: 'QQ Mail', passwordPage: 'https://service.mail.qq.com/detail/0/75' },
  { key: '163', brand: '163 Mail', passwordPage: 'https://help.mail.163.com/' },
  { key: 'icloud', brand: 'iCloud Mail', passwordPage: 'https://support.apple.com/102654' },
  { key: 'fastmail', brand: 'Fastmail', passwordPage: 'https://www.fastmail.help/hc/en-us/articles/360058752854' },
  { key: 'yahoo', brand: 'Yahoo Mail', passwordPage: 'https://help.yahoo.com/kb/SLN15241.html' },
];

/** A profile name not yet taken: the preset's key or the host, then `-2`, `-3`, … */
export function freeProfileName(base: string, taken: ReadonlySet<string>): string {
  const clean = base.replace(/\s+/g, '-') || 'smtp';
  if (!taken.has(clean)) return clean;
  for (let n = 2; ; n++) if (!taken.has(`${clean}-${n}`)) return `${clean}-${n}`;
}
