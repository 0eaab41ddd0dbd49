import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { AdminSignInMutation } from '../auth/operations';
import { useAuth } from '../auth/AuthContext';
import { useI18n } from '../i18n/I18nContext';
import { describeError } from '../api/errors';
import { LanguageSwitch, Logo } from '../layout/AdminLayout';
import type { AdminRole } from '../auth/session';


/** Only paths inside the app: never an open redirect. */
export function safeFrom(from: string | null): string {
  if (!from || !from.startsWith('/') || from.startsWith('//') || from.startsWith('/login')) return '/';
  return from;
}

export default function SignInPage() {
  const { session, signIn } = useAuth();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [result, run] = useMutation(AdminSignInMutation);
  const [error, setError] = useState<ReturnType<typeof describeError> | null>(null);
  const from = safeFrom(params.get('from'));

  if (session) return <Navigate to={from} replace />;

  const onFinish = async (v: { username: string; password: string }) => {
    setError(null);
    const res = await run({ username: v.username.trim(), password: v.password });
    if (res.error || !res.data) {
      setError(describeError(res.error, lang));
      return;
    }
    const s = res.data.adminSignIn;
    signIn({ token: s.token, expiresAt: s.expiresAt, username: s.admin.username, role: s.admin.role as AdminRole });
    message.success(t('signIn.welcome', { name: s.admin.username }));
    navigate(from, { replace: true });
  };

  return (
    <div className="pq-signin">
      <div className="pq-signin-lang">
        <LanguageSwitch />
      </div>
      <Flex vertical align="center" gap={8} className="pq-signin-brand">
        <Logo />
        <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
      </Flex>
      <Card className="pq-signin-card" title={t('signIn.title')}>
        {error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={error.code === 'UNAUTHENTICATED' && error.detail ? error.detail : error.title}
            description={error.code === 'UNAUTHENTICATED' ? undefined : error.detail}
          />
        )}
        <Form layout="vertical" size="large" onFinish={onFinish} initialValues={{ username: 'admin' }} requiredMark={false}>
          <Form.Item name="username" label={t('signIn.username')} rules={[{ required: true, whitespace: true, message: t('signIn.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" placeholder="admin" />
          </Form.Item>
          <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true, message: t('signIn.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" autoFocus />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={result.fetching}>
            {t('signIn.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          {t('signIn.hint')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
