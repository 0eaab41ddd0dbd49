// Every operation the player's page sends, typed from ../graph/*.graphqls by
// graphql-codegen (npm run codegen): a schema change that breaks one fails
// the build.
import { graphql } from '../gql';

export const CampaignFieldsDoc = graphql(`
  fragment CampaignFields on Campaign {
    id
    publicID
    name
    description
    startsAt
    endsAt
    timezone
    questionsPerAttempt
    timeLimitSeconds
    graceSeconds
    pointsPerQuestion
    rankingMode
    periodSeconds
    poolSize
    winnersPerPeriod
    excludePreviousWinners
    maxAttemptsPerDay
    entropySource
    periods {
      id
      index
      startsAt
      endsAt
      status
    }
  }
`);

export const ActiveCampaignsQuery = graphql(`
  query ActiveCampaigns {
    activeCampaigns {
      ...CampaignFields
    }
  }
`);

export const CampaignQuery = graphql(`
  query Campaign($id: ID!) {
    campaign(id: $id) {
      ...CampaignFields
    }
  }
`);

export const SignInGuestMutation = graphql(`
  mutation SignInGuest($nickname: String!) {
    signInGuest(nickname: $nickname) {
      token
      expiresAt
      participant {
        publicID
        nickname
      }
    }
  }
`);

export const SignInWeChatMutation = graphql(`
  mutation SignInWeChat($code: String!) {
    signInWeChat(code: $code) {
      token
      expiresAt
      participant {
        publicID
        nickname
      }
    }
  }
`);

export const AttemptFieldsDoc = graphql(`
  fragment AttemptFields on Attempt {
    id
    status
    startedAt
    deadline
    questions {
      id
      position
      kind
      stem
      options {
        key
        text
      }
    }
  }
`);

export const StartAttemptMutation = graphql(`
  mutation StartAttempt($campaignID: ID!) {
    startAttempt(campaignID: $campaignID) {
      ...AttemptFields
    }
  }
`);

export const SubmitAttemptMutation = graphql(`
  mutation SubmitAttempt($attemptID: ID!, $answers: [AnswerInput!]!) {
    submitAttempt(attemptID: $attemptID, answers: $answers) {
      attempt {
        ...AttemptFields
      }
      score
      correctCount
      durationMs
      standing {
        rank
        score
        durationMs
        attempts
      }
      review {
        questionID
        chosen
        correct
        isCorrect
        explanation
      }
    }
  }
`);

export const MyAttemptsLeftTodayQuery = graphql(`
  query MyAttemptsLeftToday($campaignID: ID!) {
    myAttemptsLeftToday(campaignID: $campaignID)
  }
`);

export const StandingFieldsDoc = graphql(`
  fragment StandingFields on Standing {
    rank
    score
    durationMs
    attempts
    participant {
      publicID
      nickname
    }
  }
`);

export const MyStandingUpdatedSubscription = graphql(`
  subscription MyStandingUpdated($campaignID: ID!) {
    myStandingUpdated(campaignID: $campaignID) {
      ...StandingFields
    }
  }
`);

export const LeaderboardFieldsDoc = graphql(`
  fragment LeaderboardFields on Leaderboard {
    total
    updatedAt
    entries {
      rank
      score
      durationMs
      participant {
        publicID
        nickname
      }
    }
  }
`);

export const LeaderboardQuery = graphql(`
  query Leaderboard($campaignID: ID!) {
    leaderboard(campaignID: $campaignID, first: 10) {
      ...LeaderboardFields
    }
  }
`);

export const LeaderboardUpdatedSubscription = graphql(`
  subscription LeaderboardUpdated($campaignID: ID!) {
    leaderboardUpdated(campaignID: $campaignID, first: 10) {
      ...LeaderboardFields
    }
  }
`);

export const WinnersQuery = graphql(`
  query Winners($periodID: ID!) {
    winners(periodID: $periodID) {
      drawOrder
      alternate
      participant {
        publicID
        nickname
      }
    }
  }
`);

export const MyPrizesQuery = graphql(`
  query MyPrizes {
    myPrizes {
      id
      drawOrder
      prizeStatus
      claimedAt
      period {
        id
        index
        campaign {
          id
        }
      }
    }
  }
`);

export const ClaimPrizeMutation = graphql(`
  mutation ClaimPrize($winnerID: ID!, $name: String!, $phone: String!, $address: String) {
    claimPrize(winnerID: $winnerID, name: $name, phone: $phone, address: $address) {
      id
      prizeStatus
      claimedAt
    }
  }
`);

export const DrawProofQuery = graphql(`
  query DrawProof($periodID: ID!) {
    period(id: $periodID) {
      id
      index
      status
      endsAt
      commitmentDigest
      poolDigest
      campaign {
        name
        timezone
      }
    }
    drawProof(periodID: $periodID) {
      algorithm
      commitmentRecord
      commitmentDigest
      poolFile
      poolDigest
      entropySource
      entropy
      entropyDigest
      serverSeed
      order
      winnersCount
      winnersDigest
      drawnAt
      disqualifications {
        publicID
        drawOrder
        replacedBy
      }
    }
  }
`);
