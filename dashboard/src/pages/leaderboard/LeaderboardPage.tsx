import { useEffect, useMemo, useState } from 'react';
import { Badge, Button, Card, Empty, Flex, Select, Space, Switch, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { PageContainer } from '../../components/PageContainer';
import { QueryState } from '../../components/QueryState';
import { CampaignPhaseTag } from '../../components/Tags';
import { useI18n } from '../../i18n/I18nContext';
import { formatInTz } from '../../lib/format';
import { campaignPhase } from '../../lib/campaign';
import { LeaderboardCampaignsQuery } from './operations';
import { LeaderboardTable } from './LeaderboardTable';
import { REFRESH_SECONDS, useLeaderboard } from './useLeaderboard';

export default function LeaderboardPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [campaigns, refetchCampaigns] = useQuery({ query: LeaderboardCampaignsQuery });
  const list = useMemo(() => campaigns.data?.campaigns ?? [], [campaigns.data]);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [auto, setAuto] = useState(true);

  // The campaign in the URL, else the first running one, else the newest.
  const campaignID = params.get('campaign') ?? undefined;
  useEffect(() => {
    if (campaignID || list.length === 0) return;
    const running = list.find((c) => campaignPhase(c) === 'running') ?? list[0];
    setParams({ campaign: running.id }, { replace: true });
  }, [campaignID, list, setParams]);
  const campaign = list.find((c) => c.id === campaignID);

  const feed = useLeaderboard({ campaignID, first: pageSize, offset: (page - 1) * pageSize, auto });
  const board = feed.board;

  return (
    <PageContainer title={t('leaderboard.title')} crumbs={[{ title: t('menu.leaderboard') }]}>
      <Card>
        <QueryState
          fetching={campaigns.fetching}
          error={campaigns.error}
          hasData={!!campaigns.data}
          isEmpty={list.length === 0}
          onRetry={() => refetchCampaigns({ requestPolicy: 'network-only' })}
          empty={
            <Empty description={t('leaderboard.noCampaign')}>
              <Button type="primary" onClick={() => navigate('/campaigns/new')}>
                {t('campaigns.create')}
              </Button>
            </Empty>
          }
        >
          <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
            <Space wrap>
              <Typography.Text>{t('leaderboard.pickCampaign')}</Typography.Text>
              <Select
                style={{ width: 360 }}
                value={campaignID}
                onChange={(v) => {
                  setPage(1);
                  setParams({ campaign: v });
                }}
                showSearch={{ optionFilterProp: 'label' }}
                options={list.map((c) => ({ value: c.id, label: c.name }))}
                aria-label={t('leaderboard.pickCampaign')}
              />
              {campaign && <CampaignPhaseTag campaign={campaign} />}
            </Space>
            <Space wrap>
              {board && (
                <Typography.Text type="secondary">
                  {t('leaderboard.totalRanked', { n: board.total })} · {t('leaderboard.updatedAt', { time: formatInTz(board.updatedAt, campaign?.timezone, 'HH:mm:ss') })}
                </Typography.Text>
              )}
              <Badge status={auto ? 'processing' : 'default'} text={auto ? t('leaderboard.every', { n: REFRESH_SECONDS }) : t('leaderboard.autoRefresh')} />
              <Switch size="small" checked={auto} onChange={setAuto} aria-label={t('leaderboard.autoRefresh')} />
              <Button icon={<ReloadOutlined />} onClick={feed.refresh} loading={feed.fetching && !!board}>
                {t('common.refresh')}
              </Button>
            </Space>
          </Flex>
          <QueryState fetching={feed.fetching} error={feed.error} hasData={!!board} onRetry={feed.refresh}>
            <LeaderboardTable
              entries={board?.entries ?? []}
              timezone={campaign?.timezone ?? 'Asia/Shanghai'}
              pagination={{
                current: page,
                pageSize,
                total: board?.total ?? 0,
                showSizeChanger: true,
                pageSizeOptions: [20, 50, 100],
                showTotal: (n) => t('common.total', { n }),
                onChange: (p, s) => {
                  if (s !== pageSize) {
                    setPageSize(s);
                    setPage(1);
                  } else setPage(p);
                },
              }}
            />
          </QueryState>
        </QueryState>
      </Card>
    </PageContainer>
  );
}
