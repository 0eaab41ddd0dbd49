import { useEffect, useState } from 'react';
import { Avatar, Button, Dropdown, Flex, Layout, Menu, Segmented, Tag, Tooltip, Typography, theme } from 'antd';
import {
  DashboardOutlined,
  DatabaseOutlined,
  FlagOutlined,
  GiftOutlined,
  KeyOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  AuditOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { AdminSignOutMutation, MeQuery } from '../auth/operations';
import { useAuth } from '../auth/AuthContext';
import { useI18n } from '../i18n/I18nContext';
import type { Lang } from '../api/errors';
import { menuFor } from '../lib/admin';
import { ChangePasswordModal } from '../pages/admins/ChangePasswordModal';


const { Header, Sider, Content, Footer } = Layout;

/** The menu key of a path: its first segment. */
export function menuKeyOf(pathname: string): string {
  const seg = pathname.split('/').filter(Boolean)[0];
  return seg ? `/${seg}` : '/';
}

export function Logo({ collapsed }: { collapsed?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="pq-logo">
      <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden>
        <rect width="32" height="32" rx="7" fill="#1677ff" />
        <path d="M9 22V10h7.2a4.6 4.6 0 0 1 0 9.2H12.6V22z M12.6 16h3.4a1.5 1.5 0 0 0 0-3h-3.4z" fill="#fff" />
        <circle cx="23" cy="21" r="3" fill="#ffd666" />
      </svg>
      {!collapsed && <span className="pq-logo-text">{t('app.title')}</span>}
    </div>
  );
}

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <Tooltip title={t('header.language')}>
      <Segmented<Lang>
        size="small"
        value={lang}
        onChange={setLang}
        options={[
          { label: '中文', value: 'zh' },
          { label: 'EN', value: 'en' },
        ]}
      />
    </Tooltip>
  );
}

/** Sider menu, header with language switch and user menu, page content. */
export default function AdminLayout() {
  const { session, signOut, refresh } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(() => window.innerWidth < 1200);
  const [pwOpen, setPwOpen] = useState(false);
  const [me] = useQuery({ query: MeQuery, pause: !session, requestPolicy: 'network-only' });
  const [, adminSignOut] = useMutation(AdminSignOutMutation);

  useEffect(() => {
    if (me.data?.me) refresh({ username: me.data.me.username, role: me.data.me.role });
  }, [me.data, refresh]);

  if (!session) {
    const from = location.pathname + location.search;
    return <Navigate to={`/login${from && from !== '/' ? `?from=${encodeURIComponent(from)}` : ''}`} replace />;
  }

  const onSignOut = async () => {
    // Revoke the token on the server; sign out locally whatever it says.
    await adminSignOut({}).catch(() => undefined);
    signOut();
    navigate('/login', { replace: true });
  };



  const role = me.data?.me.role ?? session.role;
  const username = me.data?.me.username ?? session.username;
  const allMenu = [
    { key: '/', icon: <DashboardOutlined />, label: t('menu.overview') },
    { key: '/banks', icon: <DatabaseOutlined />, label: t('menu.banks') },
    { key: '/campaigns', icon: <FlagOutlined />, label: t('menu.campaigns') },
    { key: '/leaderboard', icon: <TrophyOutlined />, label: t('menu.leaderboard') },
    { key: '/draws', icon: <GiftOutlined />, label: t('menu.draws') },
    { key: '/participants', icon: <TeamOutlined />, label: t('menu.participants') },
    { key: '/admins', icon: <SafetyCertificateOutlined />, label: t('menu.admins') },
    { key: '/audit', icon: <AuditOutlined />, label: t('menu.audit') },
  ];
  const visible = menuFor(role);
  const menuItems = allMenu.filter((m) => visible.includes(m.key));

  return (
    <Layout className="pq-layout">
      <Sider
        width={208}
        collapsedWidth={64}
        collapsible
        collapsed={collapsed}
        trigger={null}
        theme="dark"
        className="pq-sider"
      >
        <Logo collapsed={collapsed} />
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[menuKeyOf(location.pathname)]}
          items={menuItems}
          onClick={({ key }) => navigate(key)}
        />
      </Sider>
      <Layout>
        <Header className="pq-header" style={{ background: token.colorBgContainer }}>
          <Button
            type="text"
            aria-label="toggle menu"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed((c) => !c)}
          />
          <Flex align="center" gap={16}>
            <LanguageSwitch />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  {
                    key: 'who',
                    disabled: true,
                    label: (
                      <span>
                        {t('header.signedInAs')}: <b>{username}</b>
                      </span>
                    ),
                  },
                  { key: 'role', disabled: true, label: `${t('header.role')}: ${t(`role.${role}`)}` },
                  { type: 'divider' },
                  { key: 'password', icon: <KeyOutlined />, label: t('header.changePassword') },
                  { key: 'signout', icon: <LogoutOutlined />, label: t('header.signOut'), danger: true },
                ],
                onClick: ({ key }) => {
                  if (key === 'signout') void onSignOut();
                  if (key === 'password') setPwOpen(true);
                },
              }}
            >
              <Button type="text" className="pq-user" data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
                <Typography.Text>{username}</Typography.Text>
                <Tag color={role === 'OWNER' ? 'gold' : role === 'EDITOR' ? 'blue' : 'default'} style={{ marginInlineEnd: 0 }}>
                  {t(`role.${role}`)}
                </Tag>
              </Button>
            </Dropdown>
          </Flex>
        </Header>
        <Content className="pq-content">
          <Outlet />
        </Content>
        <Footer className="pq-footer">{t('app.footer')}</Footer>
        <ChangePasswordModal open={pwOpen} onClose={() => setPwOpen(false)} />
      </Layout>
    </Layout>
  );
}
