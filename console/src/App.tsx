import { App as AntApp, ConfigProvider, Spin } from 'antd';
import { lazy, Suspense } from 'react';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { LangProvider, useLang } from './i18n';
import { PortalPage } from './pages/PortalPage';

// The console's pages load when first opened: a visitor of the portal downloads none of them.
const ConsoleLayout = lazy(() => import('./components/ConsoleLayout').then((m) => ({ default: m.ConsoleLayout })));
const LoginPage = lazy(() => import('./pages/LoginPage').then((m) => ({ default: m.LoginPage })));
const InboxPage = lazy(() => import('./pages/InboxPage').then((m) => ({ default: m.InboxPage })));
const CaseListPage = lazy(() => import('./pages/CaseListPage').then((m) => ({ default: m.CaseListPage })));
const CaseOpenPage = lazy(() => import('./pages/CaseOpenPage').then((m) => ({ default: m.CaseOpenPage })));
const CasePage = lazy(() => import('./pages/CasePage').then((m) => ({ default: m.CasePage })));
const CampaignListPage = lazy(() => import('./pages/CampaignListPage').then((m) => ({ default: m.CampaignListPage })));
const CampaignPage = lazy(() => import('./pages/CampaignPage').then((m) => ({ default: m.CampaignPage })));
const SurveyUploadPage = lazy(() => import('./pages/SurveyUploadPage').then((m) => ({ default: m.SurveyUploadPage })));
const PublicReportListPage = lazy(() => import('./pages/PublicReportListPage').then((m) => ({ default: m.PublicReportListPage })));
const PublicReportPage = lazy(() => import('./pages/PublicReportPage').then((m) => ({ default: m.PublicReportPage })));
const ReportPage = lazy(() => import('./pages/ReportPage').then((m) => ({ default: m.ReportPage })));
const ReportStatusPage = lazy(() => import('./pages/ReportStatusPage').then((m) => ({ default: m.ReportStatusPage })));

function Localised() {
  const { lang } = useLang();
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1f5fa8' } }} button={{ autoInsertSpace: false }}>
      <AntApp>
        <BrowserRouter>
          <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
            <Routes>
              <Route path="/" element={<PortalPage />} />
              <Route path="/report" element={<ReportPage />} />
              <Route path="/report/status" element={<ReportStatusPage />} />
              <Route path="/console/login" element={<LoginPage />} />
              <Route path="/console" element={<ConsoleLayout />}>
                <Route index element={<InboxPage />} />
                <Route path="cases" element={<CaseListPage />} />
                <Route path="cases/new" element={<CaseOpenPage />} />
                <Route path="cases/:caseId" element={<CasePage />} />
                <Route path="campaigns" element={<CampaignListPage />} />
                <Route path="campaigns/:campaignId" element={<CampaignPage />} />
                <Route path="campaigns/:campaignId/survey" element={<SurveyUploadPage />} />
                <Route path="reports" element={<PublicReportListPage />} />
                <Route path="reports/:reportId" element={<PublicReportPage />} />
              </Route>
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

/** The public portal (公示) at /, its report form (举报) at /report and status lookup at /report/status, the officials' and enterprises' console at /console. */
export function App() {
  return (
    <LangProvider>
      <Localised />
    </LangProvider>
  );
}
