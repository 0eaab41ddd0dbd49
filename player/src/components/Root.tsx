// The app's frame: the language switch, then the player's page at /play or
// the proof page at /proof/{periodID} (loaded on demand: it carries the BLS code).
import type { ComponentType } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LangContext, dictionaries, initialLang, saveLang, type Lang } from '../lib/i18n';
import { PlayApp } from './PlayApp';

export function proofPeriod(pathname: string): string | null {
  const m = /^\/proof\/([^/]+)\/?$/.exec(pathname);
  return m ? decodeURIComponent(m[1]) : null;
}

export function Root() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const ctx = useMemo(
    () => ({
      lang,
      t: dictionaries[lang],
      setLang: (l: Lang) => {
        saveLang(l);
        setLangState(l);
      },
    }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const periodID = proofPeriod(window.location.pathname);
  const [Proof, setProof] = useState<ComponentType<{ periodID: string }> | null>(null);
  useEffect(() => {
    if (periodID) void import('./ProofPage').then((m) => setProof(() => m.ProofPage));
  }, [periodID]);
  const t = ctx.t;

  useEffect(() => {
    document.title = t.appTitle;
  }, [t]);

  return (
    <LangContext.Provider value={ctx}>
      <header class="topbar">
        <a class="brand" href="/play">
          {t.appTitle}
        </a>
        <button type="button" class="lang-switch" lang={lang === 'zh' ? 'en' : 'zh-CN'} aria-label={t.switchLangLabel} onClick={() => ctx.setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t.switchLang}
        </button>
      </header>
      {periodID ? Proof ? <Proof periodID={periodID} /> : <p class="muted center">{t.loading}</p> : <PlayApp />}
    </LangContext.Provider>
  );
}
