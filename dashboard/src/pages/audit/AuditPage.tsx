import { useMemo, useState } from 'react';
import { AutoComplete, Button, Card, DatePicker, Empty, Flex, Input, Result, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from 'urql';
import { PageContainer } from '../../components/PageContainer';
import { QueryState } from '../../components/QueryState';
import { ConnectionPager, currentAfter, firstPage, pageNumber, type CursorStack } from '../../components/CursorPager';
import { useI18n } from '../../i18n/I18nContext';
import { useAuth } from '../../auth/AuthContext';
import { DEFAULT_TIMEZONE, formatInTz, wallClockToISO } from '../../lib/format';
import { AUDIT_ACTIONS, auditWhere, formatPayload, type AuditFilters } from '../../lib/admin';
import { AuditEventsQuery } from '../admins/operations';

export default function AuditPage() {
  const { t } = useI18n();
  const { session } = useAuth();
  const owner = session?.role === 'OWNER';
  const [filters, setFilters] = useState<AuditFilters>({});
  const [draft, setDraft] = useState<AuditFilters>({});
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [pageSize, setPageSize] = useState(20);
  const [cursors, setCursors] = useState<CursorStack>(firstPage);
  const where = useMemo(() => auditWhere(filters), [filters]);
  const [res, refetch] = useQuery({
    query: AuditEventsQuery,
    variables: { first: pageSize, after: currentAfter(cursors), where, orderBy: { field: 'AT', direction: 'DESC' } },
    pause: !owner,
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  if (!owner) {
    return (
      <PageContainer title={t('audit.title')}>
        <Result status="403" title={t('common.ownerOnly')} />
      </PageContainer>
    );
  }
  const conn = res.data?.auditEvents;
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const apply = (f: AuditFilters) => {
    setFilters(f);
    setCursors(firstPage());
  };
  return (
    <PageContainer title={t('audit.title')}>
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <AutoComplete
            allowClear
            placeholder={t('audit.action')}
            style={{ width: 200 }}
            value={draft.action}
            options={AUDIT_ACTIONS.map((a) => ({ value: a }))}
            showSearch={{ filterOption: (input, o) => String(o?.value ?? '').toLowerCase().includes(input.toLowerCase()) }}
            onChange={(v) => setDraft((d) => ({ ...d, action: v }))}
            aria-label={t('audit.action')}
          />
          <Input
            allowClear
            placeholder={t('audit.actor')}
            style={{ width: 140 }}
            value={draft.actor}
            onChange={(e) => setDraft((d) => ({ ...d, actor: e.target.value }))}
            onPressEnter={() => apply(draft)}
          />
          <Input
            allowClear
            placeholder={t('audit.subjectPlaceholder')}
            style={{ width: 200 }}
            value={draft.subject}
            onChange={(e) => setDraft((d) => ({ ...d, subject: e.target.value }))}
            onPressEnter={() => apply(draft)}
          />
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            value={range}
            onChange={(v) => {
              const r = (v ?? null) as [Dayjs, Dayjs] | null;
              setRange(r);
              setDraft((d) => ({ ...d, from: r?.[0] ? wallClockToISO(r[0], DEFAULT_TIMEZONE) : undefined, to: r?.[1] ? wallClockToISO(r[1], DEFAULT_TIMEZONE) : undefined }));
            }}
            placeholder={[t('audit.from'), t('audit.to')]}
            aria-label={t('audit.at')}
          />
          <Button type="primary" onClick={() => apply(draft)}>
            {t('common.search')}
          </Button>
          <Button
            onClick={() => {
              setDraft({});
              setRange(null);
              apply({});
            }}
          >
            {t('common.reset')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t('common.refresh')} />
        </Flex>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: -8 }}>
          {t('audit.timezoneNote', { tz: DEFAULT_TIMEZONE })}
        </Typography.Paragraph>
        <QueryState fetching={res.fetching} error={res.error} hasData={!!conn} onRetry={reload} isEmpty={rows.length === 0 && pageNumber(cursors) === 1} empty={<Empty description={t('audit.empty')} />}>
          <Table
            rowKey="id"
            size="middle"
            dataSource={rows}
            pagination={false}
            loading={res.fetching && !!conn}
            expandable={{
              expandedRowRender: (e) => (
                <pre className="pq-pre" style={{ margin: 0, fontSize: 12 }} data-testid="audit-payload">
                  {formatPayload(e.payload)}
                </pre>
              ),
            }}
            columns={[
              { key: 'at', title: t('audit.at'), dataIndex: 'at', width: 180, render: (v: string) => formatInTz(v, undefined, 'YYYY-MM-DD HH:mm:ss') },
              { key: 'action', title: t('audit.action'), dataIndex: 'action', render: (v: string) => <Tag color="blue">{v}</Tag> },
              { key: 'actor', title: t('audit.actor'), dataIndex: 'actor' },
              { key: 'subject', title: t('audit.subject'), dataIndex: 'subject', ellipsis: true },
              { key: 'ip', title: t('audit.clientAddress'), dataIndex: 'clientAddress', width: 150, render: (v: string | null) => v || <Typography.Text type="secondary">-</Typography.Text> },
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
      </Card>
    </PageContainer>
  );
}
