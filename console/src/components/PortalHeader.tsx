import { Layout, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useT } from '../i18n';
import { LangSwitch } from './LangSwitch';

/** The portal's header: its title, its pages (公示, 举报, 举报查询), the language and the console's sign-in. */
export function PortalHeader() {
  const t = useT();
  const link = { color: '#fff' };
  return (
    <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, flexWrap: 'wrap', height: 'auto', padding: '8px 16px' }}>
      <Typography.Title level={1} style={{ color: '#fff', fontSize: 20, margin: 0, flex: 1 }}>
        {t('落后产能退出 · 信息公示', 'Retirement of backward capacity · Public lists')}
      </Typography.Title>
      <nav aria-label={t('门户导航', 'Portal')} style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
        <Link to="/" style={link}>
          {t('公示名单', 'Public lists')}
        </Link>
        <Link to="/report" style={link}>
          {t('我要举报', 'Report')}
        </Link>
        <Link to="/report/status" style={link}>
          {t('举报查询', 'Report status')}
        </Link>
      </nav>
      <LangSwitch />
      <Link to="/console" style={link}>
        {t('工作台登录', 'Console sign-in')}
      </Link>
    </Layout.Header>
  );
}
