import { useMemo } from 'react';
import { Button, Card, Empty, Space, Table, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { PageContainer } from '../../components/PageContainer';
import { QueryState } from '../../components/QueryState';
import { CampaignPhaseTag, PeriodStatusTag } from '../../components/Tags';
import { useNow } from '../../components/Countdown';
import { useI18n } from '../../i18n/I18nContext';
import { useAuth } from '../../auth/AuthContext';
import { canEdit } from '../../auth/session';
import { formatFor, formatInTz, formatSeconds } from '../../lib/format';
import { campaignPhase, currentPeriod } from '../../lib/campaign';
import type { CampaignsQuery as CampaignsQueryType } from '../../gql/graphql';
import { CampaignsQuery } from './operations';

type Row = CampaignsQueryType['campaigns'][number];

export default function CampaignListPage() {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const navigate = useNavigate();
  const now = useNow(30000);
  const editable = canEdit(session?.role);
  const context = useMemo(() => ({ additionalTypenames: ['Campaign'] }), []);
  const [{ data, fetching, error }, refetch] = useQuery({ query: CampaignsQuery, context });
  const rows = data?.campaigns ?? [];

  const createButton = (
    <Tooltip title={editable ? undefined : t('common.readOnly')}>
      <Button type="primary" icon={<PlusOutlined />} disabled={!editable} onClick={() => navigate('/campaigns/new')}>
        {t('campaigns.create')}
      </Button>
    </Tooltip>
  );

  return (
    <PageContainer title={t('campaigns.title')} crumbs={[{ title: t('menu.campaigns') }]} extra={createButton}>
      <Card>
        <QueryState
          fetching={fetching}
          error={error}
          hasData={!!data}
          isEmpty={rows.length === 0}
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
          empty={
            <Empty description={<Space orientation="vertical"><b>{t('campaigns.empty')}</b><span>{t('campaigns.emptyHint')}</span></Space>}>
              {createButton}
            </Empty>
          }
        >
          <Table<Row>
            rowKey="id"
            dataSource={rows}
            scroll={{ x: 980 }}
            pagination={rows.length > 20 ? { pageSize: 20 } : false}
            columns={[
              {
                title: t('campaigns.name'),
                dataIndex: 'name',
                render: (name: string, c) => (
                  <Space orientation="vertical" size={0}>
                    <Link to={`/campaigns/${c.id}`}>{name}</Link>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('campaigns.rulesSummary', { q: c.questionsPerAttempt, t: formatSeconds(c.timeLimitSeconds, lang), p: c.pointsPerQuestion })}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: c.publicID }}>
                      {c.publicID}
                    </Typography.Text>
                  </Space>
                ),
              },
              { title: t('campaigns.phase'), key: 'phase', width: 90, render: (_, c) => <CampaignPhaseTag campaign={c} now={now} /> },
              {
                title: t('campaigns.window'),
                key: 'window',
                width: 200,
                render: (_, c) => {
                  const f = formatFor(c.startsAt, c.endsAt);
                  return (
                    <Space orientation="vertical" size={0}>
                      <span>{formatInTz(c.startsAt, c.timezone, f)}</span>
                      <span>~ {formatInTz(c.endsAt, c.timezone, f)}</span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {c.timezone}
                      </Typography.Text>
                    </Space>
                  );
                },
              },
              {
                title: t('overview.currentPeriod'),
                key: 'period',
                width: 140,
                render: (_, c) => {
                  const p = currentPeriod(c.periods, now);
                  if (!p) return <Typography.Text type="secondary">{t('campaigns.periods')}: {c.periods.length}</Typography.Text>;
                  return (
                    <Space size={4} wrap>
                      {t('overview.periodOf', { index: p.index })}/{c.periods.length}
                      <PeriodStatusTag status={p.status} />
                    </Space>
                  );
                },
              },
              { title: t('campaigns.bank'), key: 'bank', width: 140, ellipsis: true, render: (_, c) => <Link to={`/banks/${c.bank.id}`}>{c.bank.name}</Link> },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 170,
                render: (_, c) => (
                  <Space size={0} wrap>
                    <Button type="link" size="small" onClick={() => navigate(`/campaigns/${c.id}`)}>
                      {t('common.view')}
                    </Button>
                    <Button type="link" size="small" onClick={() => navigate(`/leaderboard?campaign=${c.id}`)}>
                      {t('menu.leaderboard')}
                    </Button>
                    {editable && campaignPhase(c, now) !== 'ended' && (
                      <Button type="link" size="small" onClick={() => navigate(`/campaigns/${c.id}/edit`)}>
                        {t('common.edit')}
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </QueryState>
      </Card>
    </PageContainer>
  );
}
