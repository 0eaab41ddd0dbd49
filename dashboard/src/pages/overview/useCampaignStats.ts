import { useEffect, useMemo, useRef } from 'react';
import { useQuery } from 'urql';
import { CampaignStatisticsQuery } from './operations';
import { STATS_REFRESH_MS } from '../../lib/stats';

/** campaignStatistics of one campaign, refetched every 10 s while the tab is visible. */
export function useCampaignStats(campaignID: string | undefined, intervalMs = STATS_REFRESH_MS) {
  const variables = useMemo(() => ({ campaignID: campaignID ?? '' }), [campaignID]);
  const [result, reexecute] = useQuery({ query: CampaignStatisticsQuery, variables, pause: !campaignID });
  const reexec = useRef(reexecute);
  reexec.current = reexecute;
  useEffect(() => {
    if (!campaignID) return;
    const id = window.setInterval(() => {
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      reexec.current({ requestPolicy: 'network-only' });
    }, intervalMs);
    return () => window.clearInterval(id);
  }, [campaignID, intervalMs]);
  return {
    stats: result.data?.campaignStatistics,
    fetching: result.fetching,
    error: result.error,
    refresh: () => reexecute({ requestPolicy: 'network-only' }),
  };
}
