/**
 * Default merge rates per profile preset (messages per minute), our own conservative figures
 * below what each provider documents or is known to enforce, so a list of a few hundred does
 * not trip a temporary block. A custom host (no preset) is unlimited; `--rate` overrides.
 * Gmail: about 500 messages a day for personal accounts; Outlook.com: 30 a minute; the Chinese
 * providers (QQ, 163) block bursts quickly.
 */
const PRESET_RATES: Readonly<Record<string, number>> = {
  gmail: 20,
  outlook: 20,
  qq: 10,
  '163': 10,
  icloud: 20,
  fastmail: 30,
  yahoo: 10,
};

/** Messages per minute for a profile's preset; undefined (unlimited) for a custom host. */
export function defaultRateFor(preset: string | undefined): number | undefined {
  return preset === undefined ? undefined : PRESET_RATES[preset];
}

/** `N/min`, `N/h` or a bare `N` (per minute) → messages per minute; undefined when malformed. */
export function parseRate(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(min|m|minute|h|hour))?\s*$/i.exec(text);
  if (match === null) return undefined;
  const count = Number(match[1]);
  if (!(count > 0)) return undefined;
  const unit = (match[2] ?? 'min').toLowerCase();
  return unit.startsWith('h') ? count / 60 : count;
}
