import { Button, Flex, Layout, Menu, Typography } from 'antd';
import { Link, Navigate, Outlet, useLocation } from 'react-router-dom';
import { useLang, useT } from '../i18n';
import { roleName } from '../labels';
import { signOut } from '../session';
import { LangSwitch } from './LangSwitch';
import { useSession } from './useSession';

/** The console's frame: who is signed in, the menu (待办, 案件, 年度工作, 举报核查), the language; sign-in first. */
export function ConsoleLayout() {
  const session = useSession();
  const location = useLocation();
  const t = useT();
  const { lang } = useLang();
  if (!session) return <Navigate to="/console/login" replace state={{ from: location.pathname }} />;
  const selected = (['cases', 'campaigns', 'reports'] as const).find((k) => location.pathname.startsWith(`/console/${k}`)) ?? 'inbox';
  // Campaigns and public reports are officials' work: an enterprise sees neither.
  const official = session.principal.role !== 'enterprise';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, flexWrap: 'wrap', height: 'auto', lineHeight: '48px', padding: '0 16px' }}>
        <Typography.Text strong style={{ color: '#fff' }}>
          {t('落后产能退出 · 工作台', 'exitflow console')}
        </Typography.Text>
        <nav aria-label={t('主菜单', 'Main menu')} style={{ flex: 1, minWidth: 160 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={[selected]}
            items={[
              { key: 'inbox', label: <Link to="/console">{t('待办', 'To do')}</Link> },
              { key: 'cases', label: <Link to="/console/cases">{t('案件', 'Cases')}</Link> },
              ...(official
                ? [
                    { key: 'campaigns', label: <Link to="/console/campaigns">{t('年度工作', 'Campaigns')}</Link> },
                    { key: 'reports', label: <Link to="/console/reports">{t('举报核查', 'Public reports')}</Link> },
                  ]
                : []),
            ]}
          />
        </nav>
        <Flex gap={8} align="center" wrap>
          <Typography.Text style={{ color: '#fff' }} data-testid="signed-in-as">
            {session.principal.name}（{roleName(session.principal.role, lang)}）
          </Typography.Text>
          <LangSwitch />
          <Button
            size="small"
            onClick={() => {
              // Signing out on purpose: a fresh page, so nothing of this identity stays in memory and the
              // next one starts at its own landing page, not this one's last page.
              signOut({ notify: false });
              window.location.replace('/console/login');
            }}
          >
            {t('退出登录', 'Sign out')}
          </Button>
        </Flex>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 1200, width: '100%', margin: '0 auto' }}>
        <main>
          <Outlet />
        </main>
      </Layout.Content>
    </Layout>
  );
}
