import { useMemo, useState } from 'react';
import { App, Button, Card, Descriptions, Dropdown, Empty, Flex, Input, Popconfirm, Progress, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { CheckCircleFilled, DownloadOutlined, DownOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { PageContainer } from '../../components/PageContainer';
import { ErrorState, QueryState } from '../../components/QueryState';
import { ConnectionPager, currentAfter, firstPage, pageNumber, prevPage, type CursorStack } from '../../components/CursorPager';
import { KindTag } from '../../components/Tags';
import { useI18n } from '../../i18n/I18nContext';
import { useAuth } from '../../auth/AuthContext';
import { canEdit } from '../../auth/session';
import { errorLine } from '../../api/errors';
import { formatInTz } from '../../lib/format';
import { KINDS, type QuestionKind } from '../../lib/question';
import type { QuestionFieldsFragment, QuestionOrderField, OrderDirection, QuestionStats } from '../../gql/graphql';
import { bankExportURL, downloadFile, type FileFormat } from '../../lib/download';
import { percent } from '../../lib/importReport';
import { ImportModal } from './ImportModal';
import { QuestionDrawer } from './QuestionDrawer';
import {
  BankCategoriesQuery,
  DeleteQuestionMutation,
  QuestionBanksQuery,
  QuestionsQuery,
  SetQuestionEnabledMutation,
  bankWhere,
  questionsWhere,
  type QuestionFilters as Filters,
} from './operations';

type StatsLike = Pick<QuestionStats, 'served' | 'answered' | 'correct' | 'correctRate'> & {
  optionShares: { key: string; count: number; share: number }[];
};
type QuestionRow = QuestionFieldsFragment & { stats?: StatsLike | null };

/** The correct rate as a small bar: green from 70 %, orange from 40 %, red below. */
function CorrectRate({ stats }: { stats?: StatsLike | null }) {
  const { t } = useI18n();
  if (!stats || stats.correctRate == null) return <Typography.Text type="secondary">{t('qstats.notServed')}</Typography.Text>;
  const pct = Math.round(stats.correctRate * 1000) / 10;
  const color = pct >= 70 ? '#52c41a' : pct >= 40 ? '#faad14' : '#ff4d4f';
  return (
    <Tooltip title={t('qstats.summary', { served: stats.served, answered: stats.answered, correct: stats.correct })}>
      <div style={{ minWidth: 90 }}>
        <Progress percent={pct} size="small" strokeColor={color} format={() => percent(stats.correctRate)} />
      </div>
    </Tooltip>
  );
}

interface Order {
  field: QuestionOrderField;
  direction: OrderDirection;
}

const DEFAULT_ORDER: Order = { field: 'CREATED_AT', direction: 'DESC' };
const SORTABLE: Record<string, QuestionOrderField> = { stem: 'STEM', kind: 'KIND', category: 'CATEGORY', createdAt: 'CREATED_AT' };

function QuestionDetail({ q }: { q: QuestionRow }) {
  const { t } = useI18n();
  const shares = new Map((q.stats?.optionShares ?? []).map((s) => [s.key, s]));
  const served = !!q.stats && q.stats.answered > 0;
  return (
    <div className="pq-question-detail">
      <ul className="pq-option-list">
        {q.options.map((o) => {
          const correct = q.answer.includes(o.key);
          return (
            <li key={o.key} className={correct ? 'is-correct' : undefined}>
              <Flex align="center" gap={12} wrap>
                <span>
                  <b>{o.key}.</b> {o.text} {correct && <CheckCircleFilled style={{ color: '#52c41a' }} aria-label={t('questions.correct')} />}
                </span>
                {served && (
                  <span style={{ width: 200 }} data-testid={`share-${o.key}`}>
                    <Progress
                      size="small"
                      percent={Math.round((shares.get(o.key)?.share ?? 0) * 1000) / 10}
                      strokeColor={correct ? '#52c41a' : '#8c8c8c'}
                      format={() => `${percent(shares.get(o.key)?.share ?? 0)} · ${shares.get(o.key)?.count ?? 0}`}
                    />
                  </span>
                )}
              </Flex>
            </li>
          );
        })}
      </ul>
      {q.stats && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
          {t('qstats.optionShares')}{t('common.colon')}
          {t('qstats.summary', { served: q.stats.served, answered: q.stats.answered, correct: q.stats.correct })}
        </Typography.Paragraph>
      )}
      {q.explanation && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('questions.explanation')}{t('common.colon')}{q.explanation}
        </Typography.Paragraph>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('questions.version')} {q.version} · {t('common.createdAt')}{t('common.colon')}{formatInTz(q.createdAt)}
      </Typography.Text>
    </div>
  );
}

export default function BankDetailPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const { message } = App.useApp();
  const editable = canEdit(session?.role);

  const [filters, setFilters] = useState<Filters>({ stem: '' });
  const [stemInput, setStemInput] = useState('');
  const [order, setOrder] = useState<Order>(DEFAULT_ORDER);
  const [pageSize, setPageSize] = useState(20);
  const [cursors, setCursors] = useState<CursorStack>(firstPage);
  const [drawer, setDrawer] = useState<{ open: boolean; question?: QuestionFieldsFragment | null }>({ open: false });
  const [importOpen, setImportOpen] = useState(false);

  const exportBank = async (format: FileFormat) => {
    try {
      const name = await downloadFile(bankExportURL(id, format), { token: session?.token, fallbackName: `questions-${id}.${format}` });
      message.success(t('import.exported', { name }));
    } catch (e) {
      message.error(t('import.exportFailed', { reason: e instanceof Error ? e.message : String(e) }));
    }
  };

  const [banks] = useQuery({ query: QuestionBanksQuery });
  const bank = banks.data?.questionBanks.find((b) => b.id === id);

  const where = useMemo(() => questionsWhere(id, filters), [id, filters]);
  const context = useMemo(() => ({ additionalTypenames: ['Question'] }), []);
  const [questions, refetch] = useQuery({
    query: QuestionsQuery,
    variables: { first: pageSize, after: currentAfter(cursors), where, orderBy: order },
    context,
  });
  const catWhere = useMemo(() => bankWhere(id), [id]);
  const [cats] = useQuery({ query: BankCategoriesQuery, variables: { where: catWhere }, context });
  const categories = useMemo(
    () => [...new Set((cats.data?.questions.edges ?? []).map((e) => e?.node?.category ?? '').filter(Boolean))].sort((a, b) => a.localeCompare(b, 'zh')),
    [cats.data],
  );

  const [, setEnabled] = useMutation(SetQuestionEnabledMutation);
  const [, del] = useMutation(DeleteQuestionMutation);

  const conn = questions.data?.questions;
  const rows: QuestionRow[] = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const filtered = filters.stem !== '' || !!filters.kind || !!filters.category || filters.enabled !== undefined;

  const changeFilters = (f: Partial<Filters>) => {
    setFilters((prev) => ({ ...prev, ...f }));
    setCursors(firstPage());
  };

  const toggleEnabled = async (q: QuestionFieldsFragment, enabled: boolean) => {
    const res = await setEnabled({ id: q.id, enabled });
    if (res.error) message.error(errorLine(res.error, lang));
    else message.success(t('questions.enabledChanged', { state: enabled ? t('questions.enabled') : t('questions.disabled') }));
  };

  const remove = async (q: QuestionFieldsFragment) => {
    const res = await del({ id: q.id });
    if (res.error) {
      message.error(errorLine(res.error, lang));
      return;
    }
    message.success(t('questions.deleted'));
    // The removed row may have been the last of its page.
    if (rows.length === 1 && pageNumber(cursors) > 1) setCursors(prevPage(cursors));
    refetch({ requestPolicy: 'network-only' });
  };

  if (banks.data && !bank) {
    return (
      <PageContainer title={t('questions.title')} crumbs={[{ title: t('menu.banks'), to: '/banks' }]}>
        <Card>
          <Empty description={t('common.notFound')} />
        </Card>
      </PageContainer>
    );
  }

  const createButton = (
    <Tooltip title={editable ? undefined : t('common.readOnly')}>
      <Button type="primary" icon={<PlusOutlined />} disabled={!editable || !bank} onClick={() => setDrawer({ open: true, question: null })}>
        {t('questions.create')}
      </Button>
    </Tooltip>
  );

  return (
    <PageContainer
      title={bank?.name ?? t('questions.title')}
      subTitle={bank?.archived ? <Tag>{t('banks.archived')}</Tag> : undefined}
      crumbs={[{ title: t('menu.banks'), to: '/banks' }, { title: bank?.name ?? '…' }]}
      extra={
        <>
          <Tooltip title={editable ? undefined : t('common.readOnly')}>
            <Button icon={<UploadOutlined />} disabled={!editable || !bank} onClick={() => setImportOpen(true)} data-testid="import-open">
              {t('import.button')}
            </Button>
          </Tooltip>
          <Dropdown
            disabled={!bank}
            menu={{
              items: [
                { key: 'xlsx', label: t('import.exportXlsx') },
                { key: 'csv', label: t('import.exportCsv') },
              ],
              onClick: ({ key }) => void exportBank(key as FileFormat),
            }}
          >
            <Button icon={<DownloadOutlined />}>
              {t('import.export')} <DownOutlined />
            </Button>
          </Dropdown>
          {createButton}
        </>
      }
    >
      {banks.error && !banks.data && <ErrorState error={banks.error} compact />}
      {bank && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              { key: 'd', label: t('banks.description'), children: bank.description || '-' },
              { key: 'n', label: t('banks.questionCount'), children: filtered ? '-' : (conn?.totalCount ?? '…') },
              { key: 'c', label: t('common.createdAt'), children: formatInTz(bank.createdAt) },
            ]}
          />
        </Card>
      )}
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }} className="pq-filters">
          <Input.Search
            allowClear
            value={stemInput}
            placeholder={t('questions.searchStem')}
            style={{ width: 280 }}
            onChange={(e) => {
              setStemInput(e.target.value);
              if (e.target.value === '') changeFilters({ stem: '' });
            }}
            onSearch={(v) => changeFilters({ stem: v })}
            enterButton
          />
          <Select<QuestionKind | ''>
            value={filters.kind ?? ''}
            style={{ width: 130 }}
            onChange={(v) => changeFilters({ kind: v || undefined })}
            options={[{ value: '', label: t('questions.allKinds') }, ...KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))]}
            aria-label={t('questions.kind')}
          />
          <Select<string>
            value={filters.category ?? ''}
            style={{ width: 180 }}
            showSearch
            onChange={(v) => changeFilters({ category: v || undefined })}
            options={[{ value: '', label: t('questions.allCategories') }, ...categories.map((c) => ({ value: c, label: c }))]}
            aria-label={t('questions.category')}
          />
          <Select<string>
            value={filters.enabled === undefined ? '' : String(filters.enabled)}
            style={{ width: 130 }}
            onChange={(v) => changeFilters({ enabled: v === '' ? undefined : v === 'true' })}
            options={[
              { value: '', label: t('questions.allStatus') },
              { value: 'true', label: t('questions.enabled') },
              { value: 'false', label: t('questions.disabled') },
            ]}
            aria-label={t('common.status')}
          />
          <Button
            onClick={() => {
              setStemInput('');
              setOrder(DEFAULT_ORDER);
              changeFilters({ stem: '', kind: undefined, category: undefined, enabled: undefined });
            }}
          >
            {t('common.reset')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => refetch({ requestPolicy: 'network-only' })} aria-label={t('common.refresh')} />
        </Flex>
        <QueryState
          fetching={questions.fetching}
          error={questions.error}
          hasData={!!conn}
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
          isEmpty={rows.length === 0 && pageNumber(cursors) === 1}
          empty={
            <Empty description={filtered ? t('questions.empty') : t('questions.emptyBank')}>{!filtered && createButton}</Empty>
          }
        >
          <Table<QuestionRow>
            rowKey="id"
            size="middle"
            loading={questions.fetching && !!conn}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 960 }}
            expandable={{ expandedRowRender: (q) => <QuestionDetail q={q} /> }}
            onChange={(_p, _f, sorter) => {
              const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<QuestionRow>;
              const field = s?.order ? SORTABLE[String(s.columnKey)] : undefined;
              setOrder(field ? { field, direction: s.order === 'ascend' ? 'ASC' : 'DESC' } : DEFAULT_ORDER);
              setCursors(firstPage());
            }}
            columns={[
              {
                key: 'stem',
                title: t('questions.stem'),
                dataIndex: 'stem',
                sorter: true,
                sortOrder: order.field === 'STEM' ? (order.direction === 'ASC' ? 'ascend' : 'descend') : null,
                ellipsis: { showTitle: true },
              },
              {
                key: 'kind',
                title: t('questions.kind'),
                dataIndex: 'kind',
                width: 90,
                sorter: true,
                sortOrder: order.field === 'KIND' ? (order.direction === 'ASC' ? 'ascend' : 'descend') : null,
                render: (k: string) => <KindTag kind={k} />,
              },
              {
                key: 'category',
                title: t('questions.category'),
                dataIndex: 'category',
                width: 120,
                ellipsis: true,
                sorter: true,
                sortOrder: order.field === 'CATEGORY' ? (order.direction === 'ASC' ? 'ascend' : 'descend') : null,
                render: (c: string) => c || <Typography.Text type="secondary">-</Typography.Text>,
              },
              {
                key: 'answer',
                title: t('questions.answer'),
                dataIndex: 'answer',
                width: 80,
                render: (a: string[]) => <Typography.Text strong>{a.join('')}</Typography.Text>,
              },
              {
                key: 'enabled',
                title: t('common.status'),
                dataIndex: 'enabled',
                width: 80,
                render: (en: boolean, q) =>
                  editable ? (
                    <Switch size="small" checked={en} onChange={(v) => toggleEnabled(q, v)} aria-label={t('questions.enabled')} />
                  ) : (
                    <Tag color={en ? 'success' : 'default'}>{en ? t('questions.enabled') : t('questions.disabled')}</Tag>
                  ),
              },
              {
                key: 'correctRate',
                title: t('qstats.correctRate'),
                width: 140,
                render: (_, q) => <CorrectRate stats={q.stats} />,
              },
              // Version and creation time give way to the stem below 1600 px.
              { key: 'version', title: t('questions.version'), dataIndex: 'version', width: 70, align: 'right', responsive: ['xxl'] },
              {
                key: 'createdAt',
                title: t('common.createdAt'),
                dataIndex: 'createdAt',
                width: 160,
                responsive: ['xxl'],
                sorter: true,
                sortOrder: order.field === 'CREATED_AT' ? (order.direction === 'ASC' ? 'ascend' : 'descend') : null,
                render: (v: string) => formatInTz(v),
              },
              {
                key: 'actions',
                title: t('common.actions'),
                width: 120,
                fixed: 'right',
                render: (_, q) =>
                  editable ? (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setDrawer({ open: true, question: q })}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={t('common.delete')}
                        description={t('questions.deleteConfirm')}
                        okText={t('common.delete')}
                        okButtonProps={{ danger: true }}
                        cancelText={t('common.cancel')}
                        onConfirm={() => remove(q)}
                      >
                        <Button type="link" size="small" danger>
                          {t('common.delete')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">-</Typography.Text>
                  ),
              },
            ]}
          />
          <ConnectionPager
            conn={conn}
            cursors={cursors}
            setCursors={setCursors}
            pageSize={pageSize}
            setPageSize={setPageSize}
            loading={questions.fetching}
          />
        </QueryState>
      </Card>
      <ImportModal
        open={importOpen}
        bankID={id}
        bankName={bank?.name}
        onClose={() => setImportOpen(false)}
        onImported={() => {
          refetch({ requestPolicy: 'network-only' });
        }}
      />
      <QuestionDrawer
        open={drawer.open}
        bankID={id}
        question={drawer.question}
        categories={categories}
        onClose={() => setDrawer({ open: false })}
        onSaved={() => {
          setDrawer({ open: false });
          refetch({ requestPolicy: 'network-only' });
        }}
      />
    </PageContainer>
  );
}
