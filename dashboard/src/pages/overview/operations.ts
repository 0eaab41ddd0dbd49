import { graphql } from '../../gql';

export const CampaignStatisticsQuery = graphql(`
  query CampaignStatistics($campaignID: ID!) {
    campaignStatistics(campaignID: $campaignID) {
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
  }
`);
