import { useMemo, useState } from 'react';
import { App, Button, Card, Empty, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from 'urql';
import { PageContainer } from '../../components/PageContainer';
import { QueryState } from '../../components/QueryState';
import { ConnectionPager, currentAfter, firstPage, pageNumber, type CursorStack } from '../../components/CursorPager';
import { useI18n } from '../../i18n/I18nContext';
import { useAuth } from '../../auth/AuthContext';
import { canEdit } from '../../auth/session';
import { errorLine } from '../../api/errors';
import { formatDuration, formatInTz } from '../../lib/format';
import { LeaderboardCampaignsQuery } from '../leaderboard/operations';
import { bilingual } from '../../lib/importReport';
import {
  BlockParticipantMutation,
  ParticipantsQuery,
  SUSPICION_DEFAULTS,
  SuspiciousParticipantsQuery,
  UnblockParticipantMutation,
  participantsWhere,
  type ParticipantFilters,
} from './operations';

interface Target {
  id: string;
  publicID: string;
  nickname: string;
}

/** Block (with a reason, confirmed) and unblock, shared by both tabs. */
function useBlocking(onDone: () => void) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [, block] = useMutation(BlockParticipantMutation);
  const [, unblock] = useMutation(UnblockParticipantMutation);
  const [target, setTarget] = useState<Target | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const doUnblock = async (p: Target) => {
    const res = await unblock({ id: p.id });
    if (res.error) message.error(errorLine(res.error, lang));
    else {
      message.success(t('participants.unblocked', { name: p.nickname }));
      onDone();
    }
  };

  const modal = (
    <Modal
      open={!!target}
      title={t('participants.blockTitle', { name: target?.nickname ?? '', id: target?.publicID ?? '' })}
      okText={t('participants.block')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onCancel={() => setTarget(null)}
      destroyOnHidden
      onOk={async () => {
        const { reason } = await form.validateFields();
        if (!target) return;
        const res = await block({ id: target.id, reason: reason.trim() });
        if (res.error) {
          message.error(errorLine(res.error, lang));
          return;
        }
        message.success(t('participants.blocked', { name: target.nickname }));
        setTarget(null);
        onDone();
      }}
    >
      <Typography.Paragraph type="secondary">{t('participants.blockHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={t('participants.reason')} rules={[{ required: true, whitespace: true, message: t('participants.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );

  const actions = (p: Target & { blocked: boolean }, editable: boolean) =>
    !editable ? (
      <Typography.Text type="secondary">-</Typography.Text>
    ) : p.blocked ? (
      <Popconfirm
        title={t('participants.unblock')}
        description={t('participants.unblockConfirm', { name: p.nickname })}
        okText={t('participants.unblock')}
        cancelText={t('common.cancel')}
        onConfirm={() => doUnblock(p)}
      >
        <Button type="link" size="small">
          {t('participants.unblock')}
        </Button>
      </Popconfirm>
    ) : (
      <Button
        type="link"
        size="small"
        danger
        onClick={() => {
          form.resetFields();
          setTarget(p);
        }}
      >
        {t('participants.block')}
      </Button>
    );
  return { modal, actions };
}

function AllParticipants() {
  const { t } = useI18n();
  const { session } = useAuth();
  const editable = canEdit(session?.role);
  const [filters, setFilters] = useState<ParticipantFilters>({ search: '' });
  const [input, setInput] = useState('');
  const [pageSize, setPageSize] = useState(20);
  const [cursors, setCursors] = useState<CursorStack>(firstPage);
  const where = useMemo(() => participantsWhere(filters), [filters]);
  const [res, refetch] = useQuery({
    query: ParticipantsQuery,
    variables: { first: pageSize, after: currentAfter(cursors), where, orderBy: { field: 'CREATED_AT', direction: 'DESC' } },
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const { modal, actions } = useBlocking(reload);
  const conn = res.data?.participants;
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const change = (f: Partial<ParticipantFilters>) => {
    setFilters((p) => ({ ...p, ...f }));
    setCursors(firstPage());
  };
  return (
    <>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          enterButton
          value={input}
          placeholder={t('participants.search')}
          style={{ width: 300 }}
          onChange={(e) => {
            setInput(e.target.value);
            if (!e.target.value) change({ search: '' });
          }}
          onSearch={(v) => change({ search: v })}
        />
        <Select<string>
          style={{ width: 140 }}
          value={filters.blocked === undefined ? '' : String(filters.blocked)}
          onChange={(v) => change({ blocked: v === '' ? undefined : v === 'true' })}
          options={[
            { value: '', label: t('questions.allStatus') },
            { value: 'false', label: t('participants.normal') },
            { value: 'true', label: t('participants.isBlocked') },
          ]}
          aria-label={t('common.status')}
        />
        <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t('common.refresh')} />
      </Flex>
      <QueryState fetching={res.fetching} error={res.error} hasData={!!conn} onRetry={reload} isEmpty={rows.length === 0 && pageNumber(cursors) === 1} empty={<Empty description={t('participants.empty')} />}>
        <Table
          rowKey="id"
          size="middle"
          dataSource={rows}
          pagination={false}
          loading={res.fetching && !!conn}
          scroll={{ x: 900 }}
          columns={[
            { key: 'n', title: t('leaderboard.nickname'), dataIndex: 'nickname' },
            { key: 'p', title: t('leaderboard.publicID'), dataIndex: 'publicID', render: (v: string) => <Typography.Text copyable>{v}</Typography.Text> },
            { key: 'pr', title: t('participants.provider'), dataIndex: 'provider', width: 100, render: (v: string) => t(`provider.${v}` as 'provider.GUEST') },
            {
              key: 's',
              title: t('common.status'),
              width: 200,
              render: (_, p) =>
                p.blocked ? (
                  <Tooltip title={p.blockedReason}>
                    <Tag color="error">{t('participants.isBlocked')}</Tag>
                    <Typography.Text type="secondary" ellipsis style={{ maxWidth: 120 }}>
                      {p.blockedReason}
                    </Typography.Text>
                  </Tooltip>
                ) : (
                  <Tag color="success">{t('participants.normal')}</Tag>
                ),
            },
            { key: 'c', title: t('participants.joinedAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatInTz(v) },
            { key: 'a', title: t('common.actions'), width: 100, fixed: 'right', render: (_, p) => actions(p, editable) },
          ]}
        />
        <ConnectionPager
          conn={conn}
          cursors={cursors}
          setCursors={setCursors}
          pageSize={pageSize}
          setPageSize={setPageSize}
          loading={res.fetching}
        />
      </QueryState>
      {modal}
    </>
  );
}

function Suspicious() {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const editable = canEdit(session?.role);
  const [campaigns] = useQuery({ query: LeaderboardCampaignsQuery });
  const [campaignID, setCampaignID] = useState<string | undefined>();
  const cid = campaignID ?? campaigns.data?.campaigns[0]?.id;
  const [th, setTh] = useState(SUSPICION_DEFAULTS);
  const [res, refetch] = useQuery({ query: SuspiciousParticipantsQuery, variables: { campaignID: cid ?? '', ...th }, pause: !cid });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const { modal, actions } = useBlocking(reload);
  const rows = res.data?.suspiciousParticipants ?? [];
  return (
    <>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }} initialValues={SUSPICION_DEFAULTS} onFinish={(v) => setTh({ ...SUSPICION_DEFAULTS, ...v })}>
        <Form.Item label={t('draw.pickCampaign')}>
          <Select style={{ width: 260 }} value={cid} onChange={setCampaignID} options={(campaigns.data?.campaigns ?? []).map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        <Form.Item name="minSecondsPerQuestion" label={t('suspicious.minSeconds')} tooltip={t('suspicious.minSecondsTip')}>
          <InputNumber min={0} step={0.5} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item name="maxAttempts" label={t('suspicious.maxAttempts')} tooltip={t('suspicious.maxAttemptsTip')}>
          <InputNumber min={1} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item name="maxPerFingerprint" label={t('suspicious.maxPerFingerprint')} tooltip={t('suspicious.maxPerFingerprintTip')}>
          <InputNumber min={1} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            {t('suspicious.apply')}
          </Button>
        </Form.Item>
      </Form>
      <QueryState fetching={res.fetching || campaigns.fetching} error={res.error ?? campaigns.error} hasData={!!res.data} onRetry={reload} isEmpty={rows.length === 0} empty={<Empty description={t('suspicious.empty')} />}>
        <Table
          rowKey={(r) => r.participant.id}
          size="middle"
          dataSource={rows}
          pagination={{ pageSize: 20, size: 'small' }}
          columns={[
            { key: 'n', title: t('leaderboard.nickname'), render: (_, r) => r.participant.nickname },
            { key: 'p', title: t('leaderboard.publicID'), render: (_, r) => <Typography.Text copyable>{r.participant.publicID}</Typography.Text> },
            {
              key: 's',
              title: t('suspicious.signals'),
              render: (_, r) => (
                <Space orientation="vertical" size={2}>
                  {r.signals.map((s, i) => (
                    <span key={i}>
                      <Tag color={s.kind === 'FAST_ATTEMPT' ? 'volcano' : s.kind === 'MANY_ATTEMPTS' ? 'orange' : 'purple'}>{t(`suspicion.${s.kind}`)}</Tag>
                      <Typography.Text type="secondary">
                        {bilingual(s.detail, lang)}
                        {s.durationMs != null ? ` · ${formatDuration(s.durationMs)}` : ''}
                        {s.count != null ? ` · ×${s.count}` : ''}
                      </Typography.Text>
                    </span>
                  ))}
                </Space>
              ),
            },
            {
              key: 'b',
              title: t('common.status'),
              width: 100,
              render: (_, r) => (r.participant.blocked ? <Tag color="error">{t('participants.isBlocked')}</Tag> : <Tag>{t('participants.normal')}</Tag>),
            },
            { key: 'a', title: t('common.actions'), width: 100, render: (_, r) => actions(r.participant, editable) },
          ]}
        />
      </QueryState>
      {modal}
    </>
  );
}

export default function ParticipantsPage() {
  const { t } = useI18n();
  return (
    <PageContainer title={t('participants.title')}>
      <Card>
        <Tabs
          items={[
            { key: 'all', label: t('participants.all'), children: <AllParticipants /> },
            { key: 'suspicious', label: t('participants.suspicious'), children: <Suspicious /> },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
