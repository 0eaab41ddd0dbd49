import type { ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { I18nProvider, useI18n } from './i18n/I18nContext';
import { AuthProvider } from './auth/AuthContext';
import { appTheme } from './theme';
import type { Lang } from './api/errors';

function Antd({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={appTheme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Language, Ant Design (locale, theme, message/notification context), session and GraphQL client. */
export function Providers({ children, lang }: { children: ReactNode; lang?: Lang }) {
  return (
    <I18nProvider lang={lang}>
      <Antd>
        <AuthProvider>{children}</AuthProvider>
      </Antd>
    </I18nProvider>
  );
}
