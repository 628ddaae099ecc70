/**
 * Dark mode is a `dark` class on <html>. The choice is kept in localStorage; until the user
 * makes one, the OS preference (prefers-color-scheme) decides.
 */
export const THEME_STORAGE_KEY = 'tally-theme';

/**
 * Runs inline in <head>, before the first paint, so a dark page never flashes white. It must
 * stay self-contained ES5 (it is not bundled) and agree with `applyTheme` below.
 */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});var d=t==='dark'||(t!=='light'&&window.matchMedia('(prefers-color-scheme: dark)').matches);var e=document.documentElement;e.classList.toggle('dark',d);e.style.colorScheme=d?'dark':'light'}catch(_){}})()`;

export type ThemeChoice = 'light' | 'dark';

export function storedTheme(): ThemeChoice | null {
  try {
    const t = localStorage.getItem(THEME_STORAGE_KEY);
    return t === 'dark' || t === 'light' ? t : null;
  } catch {
    return null;
  }
}

export function applyTheme(dark: boolean): void {
  const root = document.documentElement;
  root.classList.toggle('dark', dark);
  root.style.colorScheme = dark ? 'dark' : 'light';
}
