import { graphql } from '../../gql';

export const LeaderboardFields = graphql(`
  fragment LeaderboardFields on Leaderboard {
    total
    updatedAt
    entries {
      rank
      score
      durationMs
      achievedAt
      participant {
        publicID
        nickname
      }
    }
  }
`);

export const LeaderboardQuery = graphql(`
  query Leaderboard($campaignID: ID!, $first: Int, $offset: Int) {
    leaderboard(campaignID: $campaignID, first: $first, offset: $offset) {
      ...LeaderboardFields
    }
  }
`);

export const LeaderboardCampaignsQuery = graphql(`
  query LeaderboardCampaigns {
    campaigns {
      id
      name
      startsAt
      endsAt
      timezone
    }
  }
`);

export const LeaderboardUpdatedSubscription = graphql(`
  subscription LeaderboardUpdated($campaignID: ID!, $first: Int) {
    leaderboardUpdated(campaignID: $campaignID, first: $first) {
      ...LeaderboardFields
    }
  }
`);
