import { Table, Tag, Typography } from 'antd';
import type { TablePaginationConfig } from 'antd';
import { useI18n } from '../../i18n/I18nContext';
import { formatDuration, formatInTz } from '../../lib/format';
import type { LeaderboardFieldsFragment } from '../../gql/graphql';

type Entry = LeaderboardFieldsFragment['entries'][number];

const MEDALS = ['#faad14', '#a0a0a0', '#d48806'];

export function RankBadge({ rank }: { rank: number }) {
  if (rank <= 3) {
    return (
      <Tag color={MEDALS[rank - 1]} style={{ minWidth: 32, textAlign: 'center', fontWeight: 600 }}>
        {rank}
      </Tag>
    );
  }
  return <span style={{ display: 'inline-block', minWidth: 32, textAlign: 'center' }}>{rank}</span>;
}

export function LeaderboardTable({
  entries,
  timezone,
  loading,
  pagination = false,
  compact,
}: {
  entries: Entry[];
  timezone: string;
  loading?: boolean;
  pagination?: false | TablePaginationConfig;
  compact?: boolean;
}) {
  const { t } = useI18n();
  return (
    <Table<Entry>
      rowKey={(e) => e.participant.publicID}
      size={compact ? 'small' : 'middle'}
      loading={loading}
      dataSource={entries}
      pagination={pagination}
      locale={{ emptyText: t('leaderboard.empty') }}
      columns={[
        { title: t('leaderboard.rank'), dataIndex: 'rank', width: 80, align: 'center', render: (r: number) => <RankBadge rank={r} /> },
        { title: t('leaderboard.nickname'), key: 'nickname', ellipsis: true, render: (_, e) => e.participant.nickname },
        ...(compact
          ? []
          : [
              {
                title: t('leaderboard.publicID'),
                key: 'publicID',
                width: 170,
                render: (_: unknown, e: Entry) => (
                  <Typography.Text type="secondary" copyable={{ text: e.participant.publicID }}>
                    {e.participant.publicID}
                  </Typography.Text>
                ),
              },
            ]),
        { title: t('leaderboard.score'), dataIndex: 'score', width: 90, align: 'right', render: (s: number) => <b>{s}</b> },
        {
          title: t('leaderboard.duration'),
          dataIndex: 'durationMs',
          width: 120,
          align: 'right',
          render: (ms: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatDuration(ms)}</span>,
        },
        ...(compact
          ? []
          : [
              {
                title: t('leaderboard.achievedAt'),
                dataIndex: 'achievedAt',
                width: 190,
                render: (v: string) => formatInTz(v, timezone, 'YYYY-MM-DD HH:mm:ss'),
              },
            ]),
      ]}
    />
  );
}
