/** Access and refresh tokens, kept in localStorage as the contract describes (§1.4). */
const ACCESS_KEY = 'contravento.access_token';
const REFRESH_KEY = 'contravento.refresh_token';

type Listener = () => void;
const listeners = new Set<Listener>();

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Storage may be unavailable (private mode); the session then lasts for the page only.
  }
}

export const tokenStore = {
  access(): string | null {
    return read(ACCESS_KEY);
  },
  refresh(): string | null {
    return read(REFRESH_KEY);
  },
  set(access: string, refresh: string): void {
    write(ACCESS_KEY, access);
    write(REFRESH_KEY, refresh);
    listeners.forEach((l) => l());
  },
  clear(): void {
    const had = read(ACCESS_KEY) !== null || read(REFRESH_KEY) !== null;
    write(ACCESS_KEY, null);
    write(REFRESH_KEY, null);
    if (had) listeners.forEach((l) => l());
  },
  /** Called when the tokens change in this tab or another one. */
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || event.key === ACCESS_KEY || event.key === REFRESH_KEY) listener();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('storage', onStorage);
    };
  },
};
