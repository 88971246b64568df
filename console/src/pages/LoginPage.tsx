import { Alert, Button, Card, Flex, Input, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { api, asProblem, must, type Problem } from '../api/client';
import { LangSwitch } from '../components/LangSwitch';
import { useLang, useT } from '../i18n';
import { roleName } from '../labels';
import { signIn, type Principal } from '../session';

/** The identity a bearer token names (its claims; the API verifies the signature on every request). */
function claimsOf(token: string): Principal | undefined {
  try {
    const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Principal;
    return claims.sub && claims.role ? claims : undefined;
  } catch {
    return undefined;
  }
}

/**
 * 登录: with a bearer token the API accepts (production: issued by the deployment's identity
 * provider) or, in development, as a demo identity whose token the server mints with the development
 * key (refused in production, and then not offered).
 */
export function LoginPage() {
  const t = useT();
  const { lang } = useLang();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/console';
  const [enterprise, setEnterprise] = useState('');
  const [identities, setIdentities] = useState<Principal[]>([]);
  const [problem, setProblem] = useState<Problem>();
  const [devLogin, setDevLogin] = useState(true);
  const [token, setToken] = useState('');

  useEffect(() => {
    const query = enterprise ? { enterprise } : {};
    must(api.GET('/api/v1/dev/identities', { params: { query } })).then(
      (r) => setIdentities(r.items),
      (e) => {
        const p = asProblem(e);
        if (p.code === 'dev_login_disabled') setDevLogin(false);
        else setProblem(p);
      },
    );
  }, [enterprise]);

  const loginWithToken = async () => {
    const bearer = token.trim().replace(/^Bearer\s+/i, '');
    const principal = claimsOf(bearer);
    const check = principal && (await api.GET('/api/v1/decisions', { params: { query: { pageSize: 1 } }, headers: { Authorization: `Bearer ${bearer}` } }));
    if (!principal || !check || check.response.status === 401) {
      setProblem(check?.error ? asProblem(check.error) : { type: 'about:blank', title: 'The token is not valid', titleZh: '访问令牌无效', status: 401, code: 'unauthenticated', instance: '', requestId: '' });
      return;
    }
    signIn({ token: bearer, principal });
    navigate(from, { replace: true });
  };

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
          {t('登录', 'Sign in')}
        </Typography.Title>
        <LangSwitch />
      </Flex>
      <Typography.Paragraph type="secondary">
        {devLogin ? t('开发环境：选择一个演示身份登录，或使用访问令牌。', 'Development: pick a demo identity, or use a bearer token.') : t('请使用本单位统一身份认证签发的访问令牌登录。', 'Sign in with a bearer token from your identity provider.')}
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={lang === 'zh' ? problem.titleZh : problem.title} description={problem.detail} style={{ marginBottom: 16 }} />}
      {devLogin && (
        <Card title={t('演示身份（开发环境）', 'Demo identities (development)')} style={{ marginBottom: 16 }}>
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
      )}
      <Card title={t('使用访问令牌登录', 'Sign in with a bearer token')}>
        <Flex gap={8} wrap>
          <Input.Password
            aria-label={t('访问令牌', 'Bearer token')}
            placeholder={t('访问令牌', 'Bearer token')}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            onPressEnter={() => void loginWithToken()}
            style={{ flex: 1, minWidth: 200 }}
          />
          <Button onClick={() => void loginWithToken()} disabled={!token.trim()}>
            {t('登录', 'Sign in')}
          </Button>
        </Flex>
      </Card>
    </main>
  );
}
