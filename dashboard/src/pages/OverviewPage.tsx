import { lazy, Suspense, useMemo } from 'react';
import { Button, Card, Col, Empty, Flex, Row, Skeleton, Space, Statistic, Typography } from 'antd';
import { AreaChartOutlined, BarChartOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { PageContainer } from '../components/PageContainer';
import { QueryState } from '../components/QueryState';
import { PeriodStatusTag } from '../components/Tags';
import { Countdown, useNow } from '../components/Countdown';
import { useI18n } from '../i18n/I18nContext';
import { useAuth } from '../auth/AuthContext';
import { canEdit } from '../auth/session';
import { formatInTz, formatSeconds } from '../lib/format';
import { currentPeriod } from '../lib/campaign';
import { scoreDistribution } from '../lib/stats';
import { ActiveCampaignsQuery } from './campaigns/operations';
import { LeaderboardTable } from './leaderboard/LeaderboardTable';
import { useLeaderboard } from './leaderboard/useLeaderboard';
import type { ChartOption } from '../components/EChart';

// ECharts is large: load it only when there is something to draw.
const EChart = lazy(() => import('../components/EChart').then((m) => ({ default: m.EChart })));

/**
 * A placeholder for a statistic whose API is not built yet (campaignStats,
 * SPEC §3). Replace each StatSlot with the real figure when it lands.
 */
function StatSlot({ title, icon }: { title: string; icon: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <Card className="pq-slot" data-slot="campaignStats">
      <Empty image={icon} styles={{ image: { height: 40, fontSize: 36, color: '#bfbfbf' } }} description={<Space orientation="vertical" size={2}><b>{title}</b><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('overview.statsSlotHint')}</Typography.Text></Space>} />
    </Card>
  );
}

function ScoreChart({ scores }: { scores: number[] }) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const dist = scoreDistribution(scores);
    return {
      grid: { left: 48, right: 16, top: 24, bottom: 40 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', name: t('overview.scoreAxis'), nameLocation: 'middle', nameGap: 28, data: dist.map((d) => String(d.score)) },
      yAxis: { type: 'value', name: t('overview.countAxis'), minInterval: 1 },
      series: [{ type: 'bar', data: dist.map((d) => d.count), itemStyle: { color: '#1677ff', borderRadius: [4, 4, 0, 0] }, barMaxWidth: 40 }],
    };
  }, [scores, t]);
  return (
    <Suspense fallback={<Skeleton active />}>
      <EChart option={option} height={280} />
    </Suspense>
  );
}

export default function OverviewPage() {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const navigate = useNavigate();
  const now = useNow(1000);
  const [{ data, fetching, error }, refetch] = useQuery({ query: ActiveCampaignsQuery });
  const active = data?.activeCampaigns ?? [];
  const first = active[0];
  const feed = useLeaderboard({ campaignID: first?.id, first: 100 });
  const entries = feed.board?.entries ?? [];
  const scores = useMemo(() => entries.map((e) => e.score), [entries]);

  return (
    <PageContainer title={t('overview.title')}>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {/* SLOT campaignStats: participants, attempts, average score — the stats API is not built yet. */}
        <Col xs={24} lg={12}>
          <StatSlot title={t('overview.statsSlot')} icon={<BarChartOutlined />} />
        </Col>
        {/* SLOT campaignStats: attempts per hour/day trend chart. */}
        <Col xs={24} lg={12}>
          <StatSlot title={t('overview.trendSlot')} icon={<AreaChartOutlined />} />
        </Col>
      </Row>

      <Card
        title={t('overview.activeCampaigns')}
        style={{ marginBottom: 16 }}
        extra={
          canEdit(session?.role) && (
            <Button icon={<PlusOutlined />} onClick={() => navigate('/campaigns/new')}>
              {t('overview.createCampaign')}
            </Button>
          )
        }
      >
        <QueryState
          fetching={fetching}
          error={error}
          hasData={!!data}
          isEmpty={active.length === 0}
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
          empty={<Empty description={t('overview.noActive')} />}
        >
          <Row gutter={[16, 16]}>
            {active.map((c) => {
              const p = currentPeriod(c.periods, now);
              return (
                <Col key={c.id} xs={24} lg={12} xxl={8}>
                  <Card
                    size="small"
                    className="pq-campaign-card"
                    title={<Link to={`/campaigns/${c.id}`}>{c.name}</Link>}
                    extra={p && <PeriodStatusTag status={p.status} />}
                  >
                    <Flex vertical gap={8}>
                      <Typography.Text type="secondary">
                        {t('overview.window')}{t('common.colon')}{formatInTz(c.startsAt, c.timezone)} ~ {formatInTz(c.endsAt, c.timezone)}
                      </Typography.Text>
                      <Typography.Text type="secondary">
                        {t('campaigns.rulesSummary', { q: c.questionsPerAttempt, t: formatSeconds(c.timeLimitSeconds, lang), p: c.pointsPerQuestion })}
                      </Typography.Text>
                      <Row gutter={16}>
                        <Col span={12}>
                          <Statistic
                            title={t('overview.currentPeriod')}
                            value={p ? t('overview.periodOf', { index: p.index }) : '-'}
                            suffix={p ? <Typography.Text type="secondary">/ {c.periods.length}</Typography.Text> : undefined}
                          />
                        </Col>
                        <Col span={12}>
                          <Statistic title={t('overview.cutoffIn')} valueRender={() => (p ? <Countdown to={p.endsAt} /> : '-')} />
                        </Col>
                      </Row>
                    </Flex>
                  </Card>
                </Col>
              );
            })}
          </Row>
        </QueryState>
      </Card>

      {first && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Card
              title={t('overview.top10', { name: first.name })}
              extra={<Link to={`/leaderboard?campaign=${first.id}`}>{t('overview.viewAll')}</Link>}
            >
              <QueryState fetching={feed.fetching} error={feed.error} hasData={!!feed.board} onRetry={feed.refresh}>
                <LeaderboardTable entries={entries.slice(0, 10)} timezone={first.timezone} compact />
              </QueryState>
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={t('overview.scoreDistribution')}>
              <QueryState
                fetching={feed.fetching}
                error={feed.error}
                hasData={!!feed.board}
                isEmpty={scores.length === 0}
                empty={<Empty description={t('overview.noScores')} />}
                onRetry={feed.refresh}
              >
                <ScoreChart scores={scores} />
              </QueryState>
            </Card>
          </Col>
        </Row>
      )}
    </PageContainer>
  );
}
