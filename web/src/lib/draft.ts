// Form drafts kept in this tab's sessionStorage, so a reload mid-flow loses nothing.
// Only what the person typed; never tokens, never card numbers.
import { useCallback, useEffect, useState } from "react";

const PREFIX = "salesportal.draft.";

export function readDraft<T>(key: string, initial: T, storage: Storage = window.sessionStorage): T {
  try {
    const raw = storage.getItem(PREFIX + key);
    return raw ? { ...initial, ...(JSON.parse(raw) as Partial<T>) } : initial;
  } catch {
    return initial;
  }
}

export function useDraft<T extends object>(key: string, initial: T): [T, (next: T) => void, () => void] {
  const [value, setValue] = useState<T>(() => readDraft(key, initial));
  useEffect(() => {
    window.sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  }, [key, value]);
  const clear = useCallback(() => window.sessionStorage.removeItem(PREFIX + key), [key]);
  return [value, setValue, clear];
}
