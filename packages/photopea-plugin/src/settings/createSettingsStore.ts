export interface SettingsStore {
  load(): unknown;
  save(settings: unknown): void;
  /** The pairing token for the runner at `runnerUrl`; '' when paired with none there. */
  loadToken(runnerUrl: string): string;
  saveToken(runnerUrl: string, token: string): void;
  /** The in-panel engine's calibration from an earlier session (measureInPageSpeed checks it). */
  loadSpeed(): unknown;
  saveSpeed(calibration: unknown): void;
  /** How the results were made, for Refine (results/resultRecords.ts); null when none were saved. */
  loadResults(): unknown;
  saveResults(records: unknown): void;
}

const SETTINGS_KEY = 'pastiche.photopea.settings';
const TOKEN_KEY = 'pastiche.photopea.runnerToken';
const SPEED_KEY = 'pastiche.photopea.inPanelSpeed';
const RESULTS_KEY = 'pastiche.photopea.results';

/**
 * localStorage when the page may use it, else memory for this session: a frame inside Photopea is a
 * third-party context, where browsers may block storage (reading `localStorage` then throws).
 */
export function createSettingsStore(): SettingsStore {
  const memory = new Map<string, string>();
  let storage: Storage | undefined;
  try {
    storage = globalThis.localStorage;
    storage?.getItem(SETTINGS_KEY);
  } catch {
    storage = undefined;
  }
  const read = (key: string) => {
    try {
      return storage ? storage.getItem(key) : (memory.get(key) ?? null);
    } catch {
      return memory.get(key) ?? null;
    }
  };
  const write = (key: string, value: string) => {
    memory.set(key, value);
    try {
      storage?.setItem(key, value);
    } catch {
      // full or blocked: memory keeps it for this session
    }
  };
  const readJson = (key: string): unknown => {
    try {
      return JSON.parse(read(key) ?? 'null');
    } catch {
      return null;
    }
  };
  return {
    load: () => readJson(SETTINGS_KEY),
    save: (settings) => write(SETTINGS_KEY, JSON.stringify(settings)),
    loadSpeed: () => readJson(SPEED_KEY),
    saveSpeed: (calibration) => write(SPEED_KEY, JSON.stringify(calibration)),
    loadResults: () => readJson(RESULTS_KEY),
    saveResults: (records) => write(RESULTS_KEY, JSON.stringify(records)),
    // The token is kept with the address it was paired at and sent nowhere else: a link that sets
    // another `runner` address must not make the panel hand the token to that server.
    loadToken(runnerUrl) {
      try {
        const saved = JSON.parse(read(TOKEN_KEY) ?? 'null') as { runnerUrl?: unknown; token?: unknown } | null;
        return saved?.runnerUrl === runnerUrl && typeof saved.token === 'string' ? saved.token : '';
      } catch {
        return '';
      }
    },
    saveToken: (runnerUrl, token) => write(TOKEN_KEY, JSON.stringify({ runnerUrl, token })),
  };
}
