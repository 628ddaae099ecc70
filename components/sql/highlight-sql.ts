import type { HighlighterCore } from 'shiki/core';

/**
 * SQL highlighting in the browser, loaded on first use: shiki's core with only the SQL grammar
 * and the two GitHub themes, and the JavaScript regex engine (no WebAssembly to fetch). Both
 * themes are rendered as CSS variables (`defaultColor: false`); SqlCode picks one by the
 * `dark` class, so switching themes needs no re-highlighting.
 */
let highlighter: Promise<HighlighterCore> | undefined;

function loadHighlighter(): Promise<HighlighterCore> {
  highlighter ??= (async () => {
    const [{ createHighlighterCore }, { createJavaScriptRegexEngine }, sql, light, dark] =
      await Promise.all([
        import('shiki/core'),
        import('shiki/engine/javascript'),
        import('shiki/langs/sql.mjs'),
        import('shiki/themes/github-light.mjs'),
        import('shiki/themes/github-dark.mjs'),
      ]);
    return createHighlighterCore({
      themes: [light.default, dark.default],
      langs: [sql.default],
      engine: createJavaScriptRegexEngine(),
    });
  })();
  return highlighter;
}

/** HTML for `code` (shiki escapes the text); rejects if shiki cannot load. */
export async function highlightSql(code: string): Promise<string> {
  const h = await loadHighlighter();
  return h.codeToHtml(code, {
    lang: 'sql',
    themes: { light: 'github-light', dark: 'github-dark' },
    defaultColor: false,
  });
}
