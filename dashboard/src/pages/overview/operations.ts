import { graphql } from '../../gql';

export const CampaignStatsFields = graphql(`
  fragment CampaignStatsFields on CampaignStats {
    participants
    attempts
    inProgress
    completions
    expiries
    attemptsPerHour {
      at
      count
    }
    attemptsPerDay {
      day
      count
    }
    scoreDistribution {
      score
      count
    }
    medianDurationMs
    updatedAt
  }
`);

export const CampaignStatisticsQuery = graphql(`
  query CampaignStatistics($campaignID: ID!) {
    campaignStatistics(campaignID: $campaignID) {
      ...CampaignStatsFields
    }
  }
`);

/** Pushed when the numbers change (the server counts every 2 s); the first value at once. */
export const CampaignStatsSubscription = graphql(`
  subscription CampaignStatsLive($campaignID: ID!) {
    campaignStats(campaignID: $campaignID) {
      ...CampaignStatsFields
    }
  }
`);
