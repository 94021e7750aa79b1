/** "Show Protocol Log": the Output channel, focused (the user asked for it). */
import type { CommandOutcome } from './outcome';
import type { Services } from './services';

export function showLogCommand(services: Services): CommandOutcome | undefined {
  services.log.show(false);
  return undefined;
}
