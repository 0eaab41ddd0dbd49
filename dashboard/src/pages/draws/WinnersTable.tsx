import { useState } from 'react';
import { App, Button, Dropdown, Flex, Form, Input, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, DownOutlined, EditOutlined, NotificationOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from 'urql';
import { useI18n } from '../../i18n/I18nContext';
import { useAuth } from '../../auth/AuthContext';
import { canEdit } from '../../auth/session';
import { errorLine } from '../../api/errors';
import { QueryState } from '../../components/QueryState';
import { formatInTz } from '../../lib/format';
import { downloadFile, winnersExportURL, type FileFormat } from '../../lib/download';
import { PRIZE_STATUSES, PRIZE_STATUS_COLORS, prizeStatusCounts, type PrizeStatusValue } from '../../lib/draw';
import type { WinnerFieldsFragment } from '../../gql/graphql';
import { DisqualifyWinnerMutation, PeriodWinnersQuery, PublishWinnersMutation, UpdateWinnerMutation } from './operations';

export interface WinnersTableProps {
  period: { id: string; index: number; status: string };
  timezone: string;
  onChanged: () => void;
}

/** 中奖名单: places in draw order, disqualify, prize status and note, publish, export. */
export function WinnersTable({ period, timezone, onChanged }: WinnersTableProps) {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const { message, modal } = App.useApp();
  const owner = session?.role === 'OWNER';
  const editor = canEdit(session?.role);
  const [result, refetch] = useQuery({ query: PeriodWinnersQuery, variables: { periodID: period.id }, requestPolicy: 'cache-and-network' });
  const [, disqualify] = useMutation(DisqualifyWinnerMutation);
  const [, update] = useMutation(UpdateWinnerMutation);
  const [, publish] = useMutation(PublishWinnersMutation);
  const [dq, setDq] = useState<WinnerFieldsFragment | null>(null);
  const [noteOf, setNoteOf] = useState<WinnerFieldsFragment | null>(null);
  const [dqForm] = Form.useForm<{ reason: string }>();
  const [noteForm] = Form.useForm<{ note: string }>();
  const [showAlternates, setShowAlternates] = useState(false);

  const all = result.data?.periodWinners ?? [];
  const rows = showAlternates ? all : all.filter((w) => !w.alternate || w.disqualified);
  // Prize tracking over the places that hold a prize now.
  const holding = all.filter((w) => !w.alternate && !w.disqualified);
  const prizeCounts = prizeStatusCounts(holding);
  const claimed = holding.filter((w) => w.claimedAt).length;
  const reload = () => {
    refetch({ requestPolicy: 'network-only' });
    onChanged();
  };

  const setStatus = async (w: WinnerFieldsFragment, prizeStatus: PrizeStatusValue, note = w.note ?? null) => {
    const res = await update({ id: w.id, prizeStatus, note });
    if (res.error) message.error(errorLine(res.error, lang));
    else message.success(t('common.saved'));
  };

  const doExport = async (format: FileFormat) => {
    try {
      const name = await downloadFile(winnersExportURL(period.id, format), { token: session?.token, fallbackName: `winners-${period.id}.${format}` });
      message.success(t('import.exported', { name }));
    } catch (e) {
      message.error(t('import.exportFailed', { reason: e instanceof Error ? e.message : String(e) }));
    }
  };

  const confirmPublish = () =>
    modal.confirm({
      title: t('winners.publishTitle', { index: period.index }),
      content: t('winners.publishBody', { n: all.filter((w) => !w.alternate && !w.disqualified).length }),
      okText: t('winners.publish'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        const res = await publish({ periodID: period.id });
        if (res.error) {
          message.error(errorLine(res.error, lang));
          return;
        }
        message.success(t('winners.published'));
        reload();
      },
    });

  return (
    <>
      <Flex justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
        <Space wrap>
          <Select
            value={showAlternates ? 'all' : 'winners'}
            onChange={(v) => setShowAlternates(v === 'all')}
            style={{ width: 160 }}
            options={[
              { value: 'winners', label: t('winners.onlyWinners') },
              { value: 'all', label: t('winners.withAlternates') },
            ]}
          />
          <Typography.Text type="secondary">{t('common.total', { n: rows.length })}</Typography.Text>
          <Space size={4} wrap data-testid="prize-summary">
            {PRIZE_STATUSES.map((st) => (
              <Tag key={st} color={PRIZE_STATUS_COLORS[st]}>
                {t(`prize.${st}`)} {prizeCounts[st]}
              </Tag>
            ))}
            <Tag>{t('winners.claimedN', { n: claimed })}</Tag>
          </Space>
        </Space>
        <Space wrap>
          <Dropdown
            menu={{
              items: [
                { key: 'xlsx', label: t('import.exportXlsx') },
                { key: 'csv', label: t('import.exportCsv') },
              ],
              onClick: ({ key }) => void doExport(key as FileFormat),
            }}
          >
            <Button icon={<DownloadOutlined />}>
              {t('winners.export')} <DownOutlined />
            </Button>
          </Dropdown>
          {period.status === 'DRAWN' && (
            <Tooltip title={owner ? undefined : t('common.ownerOnly')}>
              <Button type="primary" icon={<NotificationOutlined />} disabled={!owner} onClick={confirmPublish} data-testid="publish">
                {t('winners.publish')}
              </Button>
            </Tooltip>
          )}
        </Space>
      </Flex>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        <Table<WinnerFieldsFragment>
          rowKey="id"
          size="small"
          dataSource={rows}
          scroll={{ x: 1100 }}
          pagination={{ pageSize: 50, showSizeChanger: false, size: 'small' }}
          rowClassName={(w) => (w.disqualified ? 'pq-row-muted' : '')}
          columns={[
            { key: 'o', title: t('winners.drawOrder'), dataIndex: 'drawOrder', width: 70 },
            { key: 'p', title: t('leaderboard.publicID'), dataIndex: 'publicID', width: 150, render: (v: string) => <Typography.Text copyable>{v}</Typography.Text> },
            {
              key: 'kind',
              title: t('winners.kind'),
              width: 150,
              render: (_, w) => (
                <Space size={4} wrap>
                  {w.alternate ? <Tag>{t('winners.alternate')}</Tag> : <Tag color="gold">{t('winners.winner')}</Tag>}
                  {w.disqualified && (
                    <Tooltip title={w.disqualifyReason}>
                      <Tag color="error">{t('winners.disqualified')}</Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            {
              key: 'status',
              title: t('winners.prizeStatus'),
              width: 130,
              render: (_, w) =>
                editor && !w.disqualified ? (
                  <Select<PrizeStatusValue>
                    size="small"
                    value={w.prizeStatus}
                    style={{ width: 110 }}
                    onChange={(v) => void setStatus(w, v)}
                    options={PRIZE_STATUSES.map((s) => ({ value: s, label: t(`prize.${s}`) }))}
                    aria-label={t('winners.prizeStatus')}
                  />
                ) : (
                  <Tag color={PRIZE_STATUS_COLORS[w.prizeStatus]}>{t(`prize.${w.prizeStatus}`)}</Tag>
                ),
            },
            {
              key: 'note',
              title: t('winners.note'),
              render: (_, w) => (
                <Space size={4}>
                  <Typography.Text ellipsis style={{ maxWidth: 180 }}>
                    {w.note || (w.disqualified ? w.disqualifyReason : '') || '-'}
                  </Typography.Text>
                  {editor && !w.disqualified && (
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      aria-label={t('winners.editNote')}
                      onClick={() => {
                        noteForm.setFieldsValue({ note: w.note ?? '' });
                        setNoteOf(w);
                      }}
                    />
                  )}
                </Space>
              ),
            },
            {
              key: 'claim',
              title: t('winners.claim'),
              width: 260,
              render: (_, w) =>
                w.claimedAt ? (
                  <Space orientation="vertical" size={0}>
                    <span>
                      {w.claimName} · {w.claimPhone}
                    </span>
                    {w.claimAddress && <Typography.Text type="secondary">{w.claimAddress}</Typography.Text>}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatInTz(w.claimedAt, timezone)}
                    </Typography.Text>
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{t('winners.notClaimed')}</Typography.Text>
                ),
            },
            {
              key: 'actions',
              title: t('common.actions'),
              width: 110,
              fixed: 'right',
              render: (_, w) =>
                owner && !w.disqualified && !w.alternate ? (
                  <Button
                    type="link"
                    size="small"
                    danger
                    onClick={() => {
                      dqForm.resetFields();
                      setDq(w);
                    }}
                  >
                    {t('winners.disqualify')}
                  </Button>
                ) : (
                  <Typography.Text type="secondary">-</Typography.Text>
                ),
            },
          ]}
        />
      </QueryState>
      <Modal
        open={!!dq}
        title={t('winners.disqualifyTitle', { id: dq?.publicID ?? '', order: dq?.drawOrder ?? '' })}
        okText={t('winners.disqualify')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        onCancel={() => setDq(null)}
        destroyOnHidden
        onOk={async () => {
          const { reason } = await dqForm.validateFields();
          if (!dq) return;
          const res = await disqualify({ winnerID: dq.id, reason: reason.trim() });
          if (res.error) {
            message.error(errorLine(res.error, lang));
            return;
          }
          message.success(t('winners.disqualified'));
          setDq(null);
          reload();
        }}
      >
        <Typography.Paragraph type="secondary">{t('winners.disqualifyHint')}</Typography.Paragraph>
        <Form form={dqForm} layout="vertical">
          <Form.Item name="reason" label={t('winners.reason')} rules={[{ required: true, whitespace: true, message: t('winners.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={200} showCount />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!noteOf}
        title={t('winners.editNote')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onCancel={() => setNoteOf(null)}
        destroyOnHidden
        onOk={async () => {
          const { note } = await noteForm.validateFields();
          if (!noteOf) return;
          await setStatus(noteOf, noteOf.prizeStatus, note?.trim() || null);
          setNoteOf(null);
        }}
      >
        <Form form={noteForm} layout="vertical">
          <Form.Item name="note" label={t('winners.note')}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
