// Where the leaderboard's data comes from. The first page follows the
// `leaderboardUpdated(campaignID, first)` subscription (pushed on change);
// later pages, which the subscription cannot offset, and any page while the
// subscription has no value yet, use the `leaderboard` query refetched every
// few seconds. Callers only see LeaderboardFeed.
import { useEffect, useMemo, useRef } from 'react';
import { useQuery, useSubscription } from 'urql';
import type { CombinedError } from '@urql/core';
import type { LeaderboardFieldsFragment } from '../../gql/graphql';
import { LeaderboardQuery, LeaderboardUpdatedSubscription } from './operations';

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
  const liveWanted = auto && !!campaignID && offset === 0;
  const [live] = useSubscription({
    query: LeaderboardUpdatedSubscription,
    variables: { campaignID: campaignID ?? '', first },
    pause: !liveWanted,
  });
  const liveBoard = liveWanted && !live.error ? live.data?.leaderboardUpdated : undefined;

  useEffect(() => {
    if (!auto || !campaignID || liveBoard) return;
    const id = window.setInterval(() => {
      // Skip while the tab is hidden: nobody is looking.
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      reexec.current({ requestPolicy: 'network-only' });
    }, intervalMs);
    return () => window.clearInterval(id);
  }, [auto, campaignID, intervalMs, variables, liveBoard]);

  return {
    board: liveBoard ?? result.data?.leaderboard,
    fetching: result.fetching && !liveBoard,
    error: liveBoard ? undefined : result.error,
    mode: liveBoard ? 'live' : auto ? 'polling' : 'paused',
    refresh: () => reexecute({ requestPolicy: 'network-only' }),
  };
}
