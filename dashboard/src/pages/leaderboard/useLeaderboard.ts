// Where the leaderboard's data comes from. For now: the `leaderboard`
// query, refetched every few seconds. When the server offers the
// `leaderboardUpdated(campaignID, first)` subscription (SPEC §3), add it
// here as a second source for the first page —
//
//   const [live] = useSubscription({ query: LeaderboardUpdatedSubscription,
//     variables: { campaignID, first }, pause: offset !== 0 });
//
// return live.data?.leaderboardUpdated ?? query.data?.leaderboard, and
// keep polling only for later pages (the subscription has no offset).
// Callers only see LeaderboardFeed and do not change.
import { useEffect, useMemo, useRef } from 'react';
import { useQuery } from 'urql';
import type { CombinedError } from '@urql/core';
import type { LeaderboardFieldsFragment } from '../../gql/graphql';
import { LeaderboardQuery } from './operations';

export const REFRESH_SECONDS = 5;

export type FeedMode = 'polling' | 'live' | 'paused';

export interface LeaderboardFeed {
  board?: LeaderboardFieldsFragment;
  fetching: boolean;
  error?: CombinedError;
  mode: FeedMode;
  refresh: () => void;
}

export interface LeaderboardArgs {
  campaignID?: string;
  first: number;
  offset?: number;
  /** refetch every REFRESH_SECONDS while true */
  auto?: boolean;
  intervalMs?: number;
}

export function useLeaderboard({ campaignID, first, offset = 0, auto = true, intervalMs = REFRESH_SECONDS * 1000 }: LeaderboardArgs): LeaderboardFeed {
  const variables = useMemo(() => ({ campaignID: campaignID ?? '', first, offset }), [campaignID, first, offset]);
  const [result, reexecute] = useQuery({ query: LeaderboardQuery, variables, pause: !campaignID, requestPolicy: 'cache-and-network' });
  const reexec = useRef(reexecute);
  reexec.current = reexecute;

  useEffect(() => {
    if (!auto || !campaignID) return;
    const id = window.setInterval(() => {
      // Skip while the tab is hidden: nobody is looking.
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      reexec.current({ requestPolicy: 'network-only' });
    }, intervalMs);
    return () => window.clearInterval(id);
  }, [auto, campaignID, intervalMs, variables]);

  return {
    board: result.data?.leaderboard,
    fetching: result.fetching,
    error: result.error,
    mode: auto ? 'polling' : 'paused',
    refresh: () => reexecute({ requestPolicy: 'network-only' }),
  };
}
