import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from '../lib/dayjs';
import { dictionaries, interpolate, type MessageKey } from './messages';
import type { Lang } from '../api/errors';

const STORAGE_KEY = 'prizequiz.lang';

export interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
}

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    /* storage unavailable */
  }
  return 'zh'; // organisers read Chinese first, whatever the browser says
}

export function makeT(lang: Lang): I18n['t'] {
  const dict = dictionaries[lang];
  return (key, params) => interpolate(dict[key] ?? dictionaries.zh[key] ?? key, params);
}

const I18nCtx = createContext<I18n>({ lang: 'zh', setLang: () => {}, t: makeT('zh') });

export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(fixed ?? initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* storage unavailable */
    }
  }, []);
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const value = useMemo(() => ({ lang, setLang, t: makeT(lang) }), [lang, setLang]);
  return <I18nCtx.Provider value={value}>{children}</I18nCtx.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nCtx);
}
