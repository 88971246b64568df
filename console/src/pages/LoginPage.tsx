import { Alert, Button, Card, Flex, Input, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { api, asProblem, must, type Problem } from '../api/client';
import { LangSwitch } from '../components/LangSwitch';
import { useLang, useT } from '../i18n';
import { roleName } from '../labels';
import { signIn, type Principal } from '../session';

/**
 * 开发环境登录: pick a demo identity; the server mints its token with the development key (refused in
 * production, where the API's own bearer tokens are used).
 */
export function LoginPage() {
  const t = useT();
  const { lang } = useLang();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/console';
  const [enterprise, setEnterprise] = useState('');
  const [identities, setIdentities] = useState<Principal[]>([]);
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    const query = enterprise ? { enterprise } : {};
    must(api.GET('/api/v1/dev/identities', { params: { query } })).then((r) => setIdentities(r.items), (e) => setProblem(asProblem(e)));
  }, [enterprise]);

  const login = async (principal: Principal) => {
    try {
      const { token } = await must(api.POST('/api/v1/dev/tokens', { body: principal }));
      signIn({ token, principal });
      navigate(from, { replace: true });
    } catch (e) {
      setProblem(asProblem(e));
    }
  };

  return (
    <main style={{ maxWidth: 760, margin: '24px auto', padding: 16 }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
          {t('开发环境登录', 'Development sign-in')}
        </Typography.Title>
        <LangSwitch />
      </Flex>
      <Typography.Paragraph type="secondary">{t('选择一个演示身份；生产环境使用统一身份认证签发的令牌。', 'Pick a demo identity; production uses tokens from its identity provider.')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={lang === 'zh' ? problem.titleZh : problem.title} description={problem.detail} style={{ marginBottom: 16 }} />}
      <Card>
        <Input.Search
          aria-label={t('按企业名称筛选', 'Filter enterprises by name')}
          placeholder={t('按企业名称筛选', 'Filter enterprises by name')}
          allowClear
          onSearch={setEnterprise}
          style={{ marginBottom: 12 }}
        />
        <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={t('演示身份', 'Demo identities')}>
          {identities.map((p) => (
            <li key={p.sub} style={{ borderBottom: '1px solid #f0f0f0', padding: '8px 0' }}>
              <Flex justify="space-between" align="center" gap={8} wrap>
                <div>
                  <Typography.Text strong>{p.name}</Typography.Text>
                  <Flex gap={4} wrap style={{ marginTop: 4 }}>
                    <Tag>{roleName(p.role, lang)}</Tag>
                    {p.jurisdiction && <Tag>{p.jurisdiction}</Tag>}
                    {p.creditCode && <Tag>{p.creditCode}</Tag>}
                  </Flex>
                </div>
                <Button type="primary" aria-label={`${t('登录为', 'Sign in as')} ${p.name}`} onClick={() => void login(p)}>
                  {t('登录', 'Sign in')}
                </Button>
              </Flex>
            </li>
          ))}
        </ul>
      </Card>
    </main>
  );
}
