import { createContext, useContext, useState, type ReactNode } from 'react';

export type Lang = 'zh' | 'en';
const LangContext = createContext<{ lang: Lang; setLang(l: Lang): void }>({ lang: 'zh', setLang: () => undefined });
const KEY = 'exitflow.lang';

/** Chinese first (officials' language), English on request; the choice is kept for the tab. */
export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, set] = useState<Lang>(() => (sessionStorage.getItem(KEY) === 'en' ? 'en' : 'zh'));
  const setLang = (l: Lang) => {
    sessionStorage.setItem(KEY, l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    set(l);
  };
  return <LangContext.Provider value={{ lang, setLang }}>{children}</LangContext.Provider>;
}

export function useLang() {
  return useContext(LangContext);
}

/** A label in both languages, written where it is used: t('待办', 'To do'). */
export function useT() {
  const { lang } = useLang();
  return (zh: string, en: string) => (lang === 'zh' ? zh : en);
}
