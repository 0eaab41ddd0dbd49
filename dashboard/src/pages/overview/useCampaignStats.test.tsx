import { describe, expect, it } from 'vitest';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { CombinedError } from '@urql/core';
import { mockClient, opName } from '../../test/utils';
import { campaignStatistics } from '../../test/fixtures';
import { useCampaignStats } from './useCampaignStats';

function wrapperFor(client: ReturnType<typeof mockClient>) {
  return ({ children }: { children: ReactNode }) => <UrqlProvider value={client}>{children}</UrqlProvider>;
}

describe('useCampaignStats', () => {
  it('follows the campaignStats subscription and samples completions', async () => {
    const pushed = { ...campaignStatistics, completions: 2300 };
    const client = mockClient((req) => {
      const name = opName(req);
      if (name === 'CampaignStatsLive') return { data: { campaignStats: pushed } };
      if (name === 'CampaignStatistics') return { data: { campaignStatistics } };
      return undefined;
    });
    const { result } = renderHook(() => useCampaignStats('c1'), { wrapper: wrapperFor(client) });
    await waitFor(() => expect(result.current.stats?.completions).toBe(2300));
    expect(result.current.mode).toBe('live');
    expect(result.current.samples.at(-1)?.completions).toBe(2300);
    expect(client.executeSubscription).toHaveBeenCalled();
  });

  it('falls back to polling the query when the subscription fails', async () => {
    const client = mockClient((req) => {
      const name = opName(req);
      if (name === 'CampaignStatsLive') return { error: new CombinedError({ networkError: new Error('socket closed') }) };
      if (name === 'CampaignStatistics') return { data: { campaignStatistics } };
      return undefined;
    });
    const { result } = renderHook(() => useCampaignStats('c1', 50), { wrapper: wrapperFor(client) });
    await waitFor(() => expect(result.current.stats?.participants).toBe(1234));
    expect(result.current.mode).toBe('polling');
    expect(result.current.error).toBeUndefined();
    const before = client.executeQuery.mock.calls.length;
    await waitFor(() => expect(client.executeQuery.mock.calls.length).toBeGreaterThan(before));
  });
});
