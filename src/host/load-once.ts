/**
 * Runs `load` once, on first call; later calls share its promise. For what the extension loads
 * after start-up (src/features.ts): a provider or a command asks for it the first time it runs.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}
