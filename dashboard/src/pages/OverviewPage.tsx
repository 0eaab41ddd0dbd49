import { lazy, Suspense, useMemo, useState } from 'react';
import { Button, Card, Col, Empty, Flex, Row, Segmented, Skeleton, Statistic, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
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
import { completionRate, daySeries, formatMedian, hourSeries, statsCounted } from '../lib/stats';
import { useCampaignStats } from './overview/useCampaignStats';
import { ActiveCampaignsQuery } from './campaigns/operations';
import { LeaderboardTable } from './leaderboard/LeaderboardTable';
import { useLeaderboard } from './leaderboard/useLeaderboard';
import type { ChartOption } from '../components/EChart';

// ECharts is large: load it only when there is something to draw.
const EChart = lazy(() => import('../components/EChart').then((m) => ({ default: m.EChart })));

function ChartBox({ option, height = 260 }: { option: ChartOption; height?: number }) {
  return (
    <Suspense fallback={<Skeleton active />}>
      <EChart option={option} height={height} />
    </Suspense>
  );
}

function barOption(labels: string[], values: number[], xName: string, yName: string, color = '#1677ff'): ChartOption {
  return {
    grid: { left: 48, right: 16, top: 28, bottom: 40 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', name: xName, nameLocation: 'middle', nameGap: 28, data: labels },
    yAxis: { type: 'value', name: yName, minInterval: 1 },
    series: [{ type: 'bar', data: values, itemStyle: { color, borderRadius: [4, 4, 0, 0] }, barMaxWidth: 40 }],
  };
}

function ScoreChart({ dist }: { dist: readonly { score: number; count: number }[] }) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(
    () => barOption(dist.map((d) => String(d.score)), dist.map((d) => d.count), t('overview.scoreAxis'), t('overview.countAxis')),
    [dist, t],
  );
  return <ChartBox option={option} height={280} />;
}

type Stats = NonNullable<ReturnType<typeof useCampaignStats>['stats']>;

/** Counters of campaignStatistics. */
function StatsCounters({ stats, name }: { stats: Stats; name: string }) {
  const { t, lang } = useI18n();
  const rate = completionRate(stats);
  return (
    <Card
      title={t('overview.statsOf', { name })}
      data-testid="campaign-stats"
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {statsCounted(stats.updatedAt) ? t('overview.statsUpdated', { time: formatInTz(stats.updatedAt, undefined, 'HH:mm:ss') }) : t('overview.statsPending')}
        </Typography.Text>
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={12} md={8}>
          <Statistic title={t('overview.participants')} value={stats.participants} suffix={t('common.people')} />
        </Col>
        <Col xs={12} md={8}>
          <Statistic title={t('overview.attempts')} value={stats.attempts} suffix={t('common.times')} />
        </Col>
        <Col xs={12} md={8}>
          <Statistic title={t('overview.inProgress')} value={stats.inProgress} />
        </Col>
        <Col xs={12} md={8}>
          <Statistic
            title={t('overview.completions')}
            value={stats.completions}
            suffix={rate != null ? <Typography.Text type="secondary" style={{ fontSize: 13 }}>{`(${(rate * 100).toFixed(1)}%)`}</Typography.Text> : undefined}
          />
        </Col>
        <Col xs={12} md={8}>
          <Statistic title={t('overview.expiries')} value={stats.expiries} />
        </Col>
        <Col xs={12} md={8}>
          <Statistic title={t('overview.medianDuration')} value={formatMedian(stats.medianDurationMs, lang)} />
        </Col>
      </Row>
    </Card>
  );
}

/** Attempts per hour or per day. */
function TrendCard({ stats, timezone }: { stats: Stats; timezone: string }) {
  const { t } = useI18n();
  const [by, setBy] = useState<'hour' | 'day'>('hour');
  const option = useMemo<ChartOption>(() => {
    const s = by === 'hour' ? hourSeries(stats.attemptsPerHour, timezone) : daySeries(stats.attemptsPerDay);
    return barOption(s.labels, s.values, by === 'hour' ? t('overview.hourAxis') : t('overview.dayAxis'), t('overview.attemptsAxis'), '#13c2c2');
  }, [by, stats, timezone, t]);
  const empty = by === 'hour' ? stats.attemptsPerHour.length === 0 : stats.attemptsPerDay.length === 0;
  return (
    <Card
      title={t('overview.trend')}
      data-testid="campaign-trend"
      extra={
        <Segmented<'hour' | 'day'>
          size="small"
          value={by}
          onChange={setBy}
          options={[
            { value: 'hour', label: t('overview.perHour') },
            { value: 'day', label: t('overview.perDay') },
          ]}
        />
      }
    >
      {empty ? <Empty description={t('overview.noAttempts')} /> : <ChartBox option={option} />}
    </Card>
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
  const feed = useLeaderboard({ campaignID: first?.id, first: 10 });
  const entries = feed.board?.entries ?? [];
  const stats = useCampaignStats(first?.id);
  const dist = stats.stats?.scoreDistribution ?? [];

  return (
    <PageContainer title={t('overview.title')}>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} lg={12}>
          {first ? (
            <QueryState fetching={stats.fetching} error={stats.error} hasData={!!stats.stats} onRetry={stats.refresh}>
              {stats.stats && <StatsCounters stats={stats.stats} name={first.name} />}
            </QueryState>
          ) : (
            <Card>
              <Empty description={t('overview.noActive')} />
            </Card>
          )}
        </Col>
        <Col xs={24} lg={12}>
          {first && stats.stats ? (
            <TrendCard stats={stats.stats} timezone={first.timezone} />
          ) : (
            <Card title={t('overview.trend')}>
              <Skeleton active={!!first} />
            </Card>
          )}
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
                fetching={stats.fetching}
                error={stats.error}
                hasData={!!stats.stats}
                isEmpty={dist.length === 0}
                empty={<Empty description={t('overview.noScores')} />}
                onRetry={stats.refresh}
              >
                <ScoreChart dist={dist} />
              </QueryState>
            </Card>
          </Col>
        </Row>
      )}
    </PageContainer>
  );
}
