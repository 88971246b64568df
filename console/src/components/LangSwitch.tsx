import { Segmented } from 'antd';
import { useLang, type Lang } from '../i18n';

/** 中文 / English, labelled for screen readers. */
export function LangSwitch() {
  const { lang, setLang } = useLang();
  return (
    <Segmented<Lang>
      aria-label={lang === 'zh' ? '界面语言' : 'Language'}
      size="small"
      value={lang}
      onChange={setLang}
      options={[
        { label: '中文', value: 'zh' },
        { label: 'English', value: 'en' },
      ]}
    />
  );
}
