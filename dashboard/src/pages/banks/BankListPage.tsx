import { useState } from 'react';
import { App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { PageContainer } from '../../components/PageContainer';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n/I18nContext';
import { useAuth } from '../../auth/AuthContext';
import { canEdit } from '../../auth/session';
import { errorLine, describeError } from '../../api/errors';
import { formatInTz } from '../../lib/format';
import { MAX_BANK_NAME } from '../../lib/question';
import { BankQuestionCountQuery, CreateQuestionBankMutation, QuestionBanksQuery, UpdateQuestionBankMutation, bankWhere } from './operations';

function QuestionCount({ bankID }: { bankID: string }) {
  const [{ data, error }] = useQuery({ query: BankQuestionCountQuery, variables: { where: bankWhere(bankID) } });
  if (error) return <Typography.Text type="secondary">-</Typography.Text>;
  return <span>{data?.questions.totalCount ?? '…'}</span>;
}

export function CreateBankModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; description?: string }>();
  const [{ fetching }, create] = useMutation(CreateQuestionBankMutation);

  const submit = async () => {
    const v = await form.validateFields();
    const res = await create({ input: { name: v.name.trim(), description: v.description?.trim() || null } });
    if (res.error || !res.data) {
      const d = describeError(res.error, lang);
      if (d.code === 'BAD_USER_INPUT' && d.field === 'name') form.setFields([{ name: 'name', errors: [d.detail ?? d.title] }]);
      else message.error(errorLine(res.error, lang));
      return;
    }
    message.success(t('banks.created', { name: res.data.createQuestionBank.name }));
    form.resetFields();
    onCreated(res.data.createQuestionBank.id);
  };

  return (
    <Modal
      open={open}
      title={t('banks.create')}
      onCancel={onClose}
      onOk={submit}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={fetching}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="name"
          label={t('banks.name')}
          rules={[
            { required: true, whitespace: true, message: t('banks.nameRequired') },
            { max: MAX_BANK_NAME, message: t('banks.nameTooLong', { n: MAX_BANK_NAME }) },
          ]}
        >
          <Input maxLength={MAX_BANK_NAME} showCount autoFocus />
        </Form.Item>
        <Form.Item name="description" label={t('banks.description')}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function BankListPage() {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const editable = canEdit(session?.role);
  const [open, setOpen] = useState(false);
  const [{ data, fetching, error }, refetch] = useQuery({ query: QuestionBanksQuery });
  const [, update] = useMutation(UpdateQuestionBankMutation);
  const banks = data?.questionBanks ?? [];

  const setArchived = async (id: string, archived: boolean) => {
    const res = await update({ id, input: { archived } });
    if (res.error) message.error(errorLine(res.error, lang));
    else message.success(t('common.saved'));
  };

  const createButton = (
    <Tooltip title={editable ? undefined : t('common.readOnly')}>
      <Button type="primary" icon={<PlusOutlined />} disabled={!editable} onClick={() => setOpen(true)}>
        {t('banks.create')}
      </Button>
    </Tooltip>
  );

  return (
    <PageContainer title={t('banks.title')} crumbs={[{ title: t('menu.banks') }]} extra={createButton}>
      <Card>
        <QueryState
          fetching={fetching}
          error={error}
          hasData={!!data}
          isEmpty={banks.length === 0}
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
          empty={
            <Empty description={<Space orientation="vertical"><b>{t('banks.empty')}</b><span>{t('banks.emptyHint')}</span></Space>}>
              {createButton}
            </Empty>
          }
        >
          <Table
            rowKey="id"
            dataSource={banks}
            pagination={banks.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            columns={[
              {
                title: t('banks.name'),
                dataIndex: 'name',
                render: (name: string, b) => (
                  <Space>
                    <Link to={`/banks/${b.id}`}>{name}</Link>
                    {b.archived && <Tag>{t('banks.archived')}</Tag>}
                  </Space>
                ),
              },
              {
                title: t('banks.description'),
                dataIndex: 'description',
                ellipsis: true,
                render: (d?: string | null) => d || <Typography.Text type="secondary">-</Typography.Text>,
              },
              { title: t('banks.questionCount'), key: 'count', width: 110, align: 'right', render: (_, b) => <QuestionCount bankID={b.id} /> },
              { title: t('common.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatInTz(v) },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 200,
                render: (_, b) => (
                  <Space>
                    <Button type="link" size="small" onClick={() => navigate(`/banks/${b.id}`)}>
                      {t('banks.openDetail')}
                    </Button>
                    {editable &&
                      (b.archived ? (
                        <Button type="link" size="small" onClick={() => setArchived(b.id, false)}>
                          {t('banks.unarchive')}
                        </Button>
                      ) : (
                        <Popconfirm
                          title={t('banks.archive')}
                          description={t('banks.archiveConfirm', { name: b.name })}
                          okText={t('common.confirm')}
                          cancelText={t('common.cancel')}
                          onConfirm={() => setArchived(b.id, true)}
                        >
                          <Button type="link" size="small" danger>
                            {t('banks.archive')}
                          </Button>
                        </Popconfirm>
                      ))}
                  </Space>
                ),
              },
            ]}
          />
        </QueryState>
      </Card>
      <CreateBankModal
        open={open}
        onClose={() => setOpen(false)}
        onCreated={(id) => {
          setOpen(false);
          navigate(`/banks/${id}`);
        }}
      />
    </PageContainer>
  );
}
