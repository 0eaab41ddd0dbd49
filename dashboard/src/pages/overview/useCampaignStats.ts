// Where 概览's numbers come from: the admin-only `campaignStats`
// subscription (pushed when the server's counts change, every 2 s at most),
// with `campaignStatistics` for the first paint and, only while the
// subscription fails, refetched every STATS_REFRESH_MS. Each value's
// completions counter is kept with its arrival time for the per-minute rate.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import type { CombinedError } from '@urql/core';
import type { CampaignStatsFieldsFragment } from '../../gql/graphql';
import { CampaignStatisticsQuery, CampaignStatsSubscription } from './operations';
import { STATS_REFRESH_MS, addSample, type CompletionSample } from '../../lib/stats';

export type StatsMode = 'live' | 'polling';

export interface CampaignStatsFeed {
  stats?: CampaignStatsFieldsFragment;
  fetching: boolean;
  error?: CombinedError;
  mode: StatsMode;
  samples: CompletionSample[];
  refresh: () => void;
}

/** Statistics of one campaign; mount it under a key of the campaign id. */
export function useCampaignStats(campaignID: string | undefined, intervalMs = STATS_REFRESH_MS): CampaignStatsFeed {
  const variables = useMemo(() => ({ campaignID: campaignID ?? '' }), [campaignID]);
  const [result, reexecute] = useQuery({ query: CampaignStatisticsQuery, variables, pause: !campaignID });
  const [sub] = useSubscription({ query: CampaignStatsSubscription, variables, pause: !campaignID });
  const live = !sub.error ? sub.data?.campaignStats : undefined;
  const reexec = useRef(reexecute);
  reexec.current = reexecute;

  // Poll only while the subscription has failed.
  const polling = !!campaignID && !!sub.error;
  useEffect(() => {
    if (!polling) return;
    const id = window.setInterval(() => {
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      reexec.current({ requestPolicy: 'network-only' });
    }, intervalMs);
    return () => window.clearInterval(id);
  }, [polling, intervalMs]);

  const stats = live ?? result.data?.campaignStatistics;
  const [samples, setSamples] = useState<CompletionSample[]>([]);
  useEffect(() => {
    if (stats) setSamples((s) => addSample(s, { at: Date.now(), completions: stats.completions }));
  }, [stats]);

  return {
    stats,
    fetching: result.fetching && !stats,
    error: stats ? undefined : (result.error ?? sub.error),
    mode: polling ? 'polling' : 'live',
    samples,
    refresh: () => reexecute({ requestPolicy: 'network-only' }),
  };
}
