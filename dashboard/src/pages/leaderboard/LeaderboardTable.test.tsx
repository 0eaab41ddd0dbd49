import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { LeaderboardTable } from './LeaderboardTable';
import { renderWithProviders } from '../../test/utils';

describe('LeaderboardTable', () => {
  it('shows rank, nickname, public id, score, mm:ss.SSS and the time in the campaign zone', () => {
    renderWithProviders(
      <LeaderboardTable
        timezone="Asia/Shanghai"
        entries={[
          { rank: 1, score: 100, durationMs: 65123, achievedAt: '2026-09-01T04:05:06Z', participant: { publicID: 'p-abc', nickname: '小王' } },
          { rank: 2, score: 80, durationMs: 299999, achievedAt: '2026-09-01T16:00:00Z', participant: { publicID: 'p-def', nickname: '小李' } },
        ]}
      />,
    );
    expect(screen.getByText('小王')).toBeInTheDocument();
    expect(screen.getByText('p-abc')).toBeInTheDocument();
    expect(screen.getByText('01:05.123')).toBeInTheDocument();
    expect(screen.getByText('04:59.999')).toBeInTheDocument();
    expect(screen.getByText('2026-09-01 12:05:06')).toBeInTheDocument();
    expect(screen.getByText('2026-09-02 00:00:00')).toBeInTheDocument();
    expect(screen.getByText('100')).toBeInTheDocument();
  });

  it('has an empty state', () => {
    renderWithProviders(<LeaderboardTable timezone="UTC" entries={[]} />);
    expect(screen.getByText('还没有人上榜')).toBeInTheDocument();
  });
});
