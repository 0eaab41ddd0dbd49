import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Result, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from 'urql';
import { PageContainer } from '../../components/PageContainer';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n/I18nContext';
import { useAuth } from '../../auth/AuthContext';
import type { AdminRole } from '../../auth/session';
import { errorLine } from '../../api/errors';
import { formatInTz } from '../../lib/format';
import { MIN_PASSWORD, ROLES, passwordProblem } from '../../lib/admin';
import type { AdminFieldsFragment } from '../../gql/graphql';
import { AdminsQuery, CreateAdminMutation, ResetAdminPasswordMutation, SetAdminDisabledMutation, SetAdminRoleMutation } from './operations';

/** Password + confirmation fields with the server's rule (at least 8 characters). */
export function PasswordFields({ name = 'password', label }: { name?: string; label: string }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item
        name={name}
        label={label}
        rules={[{ validator: (_r, v: string | undefined) => (passwordProblem(v ?? '') === 'short' ? Promise.reject(new Error(t('admins.passwordShort', { n: MIN_PASSWORD }))) : Promise.resolve()) }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name={`${name}Confirm`}
        label={t('admins.passwordConfirm')}
        dependencies={[name]}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_r, v: string | undefined) => (v === getFieldValue(name) ? Promise.resolve() : Promise.reject(new Error(t('admins.passwordMismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}

export default function AdminsPage() {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const { message, modal } = App.useApp();
  const owner = session?.role === 'OWNER';
  const [res, refetch] = useQuery({ query: AdminsQuery, pause: !owner });
  const [, create] = useMutation(CreateAdminMutation);
  const [, setDisabled] = useMutation(SetAdminDisabledMutation);
  const [, resetPw] = useMutation(ResetAdminPasswordMutation);
  const [, setRole] = useMutation(SetAdminRoleMutation);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<AdminFieldsFragment | null>(null);
  const [createForm] = Form.useForm<{ username: string; password: string; role: AdminRole }>();
  const [resetForm] = Form.useForm<{ password: string }>();
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (!owner) {
    return (
      <PageContainer title={t('admins.title')}>
        <Result status="403" title={t('common.ownerOnly')} />
      </PageContainer>
    );
  }

  const done = (err: Parameters<typeof errorLine>[0] | undefined, ok: string) => {
    if (err) {
      message.error(errorLine(err, lang));
      return false;
    }
    message.success(ok);
    return true;
  };

  const rows = res.data?.admins ?? [];
  return (
    <PageContainer
      title={t('admins.title')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            createForm.resetFields();
            setCreating(true);
          }}
        >
          {t('admins.create')}
        </Button>
      }
    >
      <Card>
        <QueryState fetching={res.fetching} error={res.error} hasData={!!res.data} onRetry={reload}>
          <Table<AdminFieldsFragment>
            rowKey="id"
            dataSource={rows}
            pagination={false}
            columns={[
              {
                key: 'u',
                title: t('signIn.username'),
                dataIndex: 'username',
                render: (u: string) => (
                  <Space>
                    <b>{u}</b>
                    {u === session?.username && <Tag color="blue">{t('admins.you')}</Tag>}
                  </Space>
                ),
              },
              {
                key: 'r',
                title: t('header.role'),
                width: 160,
                render: (_, a) => (
                  <Select<AdminRole>
                    size="small"
                    style={{ width: 120 }}
                    value={a.role}
                    disabled={a.username === session?.username}
                    onChange={(role) =>
                      modal.confirm({
                        title: t('admins.roleConfirmTitle', { name: a.username, role: t(`role.${role}`) }),
                        content: t('admins.roleConfirmBody'),
                        okText: t('common.confirm'),
                        cancelText: t('common.cancel'),
                        onOk: async () => {
                          const r = await setRole({ id: a.id, role });
                          done(r.error, t('admins.roleChanged', { name: a.username, role: t(`role.${role}`) }));
                        },
                      })
                    }
                    options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
                    aria-label={t('header.role')}
                  />
                ),
              },
              {
                key: 's',
                title: t('common.status'),
                width: 100,
                render: (_, a) => (a.disabled ? <Tag color="error">{t('admins.disabled')}</Tag> : <Tag color="success">{t('admins.enabled')}</Tag>),
              },
              { key: 'c', title: t('common.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatInTz(v) },
              {
                key: 'a',
                title: t('common.actions'),
                width: 220,
                render: (_, a) =>
                  a.username === session?.username ? (
                    <Typography.Text type="secondary">{t('admins.selfHint')}</Typography.Text>
                  ) : (
                    <Space size={0}>
                      <Popconfirm
                        title={a.disabled ? t('admins.enable') : t('admins.disable')}
                        description={a.disabled ? t('admins.enableConfirm', { name: a.username }) : t('admins.disableConfirm', { name: a.username })}
                        okText={t('common.confirm')}
                        cancelText={t('common.cancel')}
                        okButtonProps={{ danger: !a.disabled }}
                        onConfirm={async () => {
                          const r = await setDisabled({ id: a.id, disabled: !a.disabled });
                          done(r.error, a.disabled ? t('admins.enabledOk', { name: a.username }) : t('admins.disabledOk', { name: a.username }));
                        }}
                      >
                        <Button type="link" size="small" danger={!a.disabled}>
                          {a.disabled ? t('admins.enable') : t('admins.disable')}
                        </Button>
                      </Popconfirm>
                      <Button
                        type="link"
                        size="small"
                        onClick={() => {
                          resetForm.resetFields();
                          setResetting(a);
                        }}
                      >
                        {t('admins.resetPassword')}
                      </Button>
                    </Space>
                  ),
              },
            ]}
          />
        </QueryState>
      </Card>
      <Modal
        open={creating}
        title={t('admins.create')}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        onCancel={() => setCreating(false)}
        destroyOnHidden
        onOk={async () => {
          const v = await createForm.validateFields();
          const r = await create({ input: { username: v.username.trim(), password: v.password, role: v.role } });
          if (done(r.error, t('admins.created', { name: v.username.trim() }))) {
            setCreating(false);
            reload();
          }
        }}
      >
        <Form form={createForm} layout="vertical" initialValues={{ role: 'EDITOR' }} preserve={false}>
          <Form.Item name="username" label={t('signIn.username')} rules={[{ required: true, whitespace: true, message: t('signIn.usernameRequired') }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="role" label={t('header.role')} extra={t('admins.roleHint')}>
            <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          </Form.Item>
          <PasswordFields label={t('admins.initialPassword')} />
        </Form>
      </Modal>
      <Modal
        open={!!resetting}
        title={t('admins.resetTitle', { name: resetting?.username ?? '' })}
        okText={t('admins.resetPassword')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        onCancel={() => setResetting(null)}
        destroyOnHidden
        onOk={async () => {
          const v = await resetForm.validateFields();
          if (!resetting) return;
          const r = await resetPw({ id: resetting.id, password: v.password });
          if (done(r.error, t('admins.resetOk', { name: resetting.username }))) setResetting(null);
        }}
      >
        <Typography.Paragraph type="secondary">{t('admins.resetHint')}</Typography.Paragraph>
        <Form form={resetForm} layout="vertical" preserve={false}>
          <PasswordFields label={t('admins.newPassword')} />
        </Form>
      </Modal>
    </PageContainer>
  );
}
