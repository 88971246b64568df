import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { LangProvider, useLang } from './i18n';
import { ConsoleLayout } from './components/ConsoleLayout';
import { CaseListPage } from './pages/CaseListPage';
import { CasePage } from './pages/CasePage';
import { InboxPage } from './pages/InboxPage';
import { LoginPage } from './pages/LoginPage';
import { PortalPage } from './pages/PortalPage';

function Localised() {
  const { lang } = useLang();
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1f5fa8' } }} button={{ autoInsertSpace: false }}>
      <AntApp>
        <BrowserRouter>
          <Routes>
            <Route path="/" element={<PortalPage />} />
            <Route path="/console/login" element={<LoginPage />} />
            <Route path="/console" element={<ConsoleLayout />}>
              <Route index element={<InboxPage />} />
              <Route path="cases" element={<CaseListPage />} />
              <Route path="cases/:caseId" element={<CasePage />} />
            </Route>
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

/** The public portal (公示) at /, the officials' and enterprises' console at /console. */
export function App() {
  return (
    <LangProvider>
      <Localised />
    </LangProvider>
  );
}
