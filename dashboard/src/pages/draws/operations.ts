import { graphql } from '../../gql';

export const DrawPeriodFields = graphql(`
  fragment DrawPeriodFields on Period {
    id
    index
    startsAt
    endsAt
    status
    commitmentRecord
    commitmentDigest
    poolDigest
    entropySource
    entropyAvailableAt
    drawnAt
    publishedAt
    winnersCount
  }
`);

export const DrawCampaignsQuery = graphql(`
  query DrawCampaigns {
    campaigns {
      id
      publicID
      name
      timezone
      poolSize
      winnersPerPeriod
      entropySource
      periods {
        ...DrawPeriodFields
      }
    }
  }
`);

export const PeriodPoolQuery = graphql(`
  query PeriodPool($id: ID!) {
    period(id: $id) {
      id
      poolFile
      poolDigest
      pool {
        rank
        publicID
        score
        durationMs
      }
    }
  }
`);

export const DrawProofFields = graphql(`
  fragment DrawProofFields on DrawProof {
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
      reason
      at
      replacedBy
      replacement
    }
  }
`);

export const DrawProofQuery = graphql(`
  query DrawProof($periodID: ID!) {
    drawProof(periodID: $periodID) {
      ...DrawProofFields
    }
  }
`);

export const RunDrawMutation = graphql(`
  mutation RunDraw($periodID: ID!, $externalEntropy: String!) {
    runDraw(periodID: $periodID, externalEntropy: $externalEntropy) {
      ...DrawProofFields
    }
  }
`);

export const DrawRevealedSubscription = graphql(`
  subscription DrawRevealed($periodID: ID!) {
    drawRevealed(periodID: $periodID) {
      ...DrawProofFields
    }
  }
`);

export const WinnerFields = graphql(`
  fragment WinnerFields on Winner {
    id
    drawOrder
    publicID
    alternate
    disqualified
    disqualifyReason
    prizeStatus
    note
    claimedAt
    claimName
    claimPhone
    claimAddress
  }
`);

export const PeriodWinnersQuery = graphql(`
  query PeriodWinners($periodID: ID!) {
    periodWinners(periodID: $periodID) {
      ...WinnerFields
    }
  }
`);

export const PublishWinnersMutation = graphql(`
  mutation PublishWinners($periodID: ID!) {
    publishWinners(periodID: $periodID) {
      ...DrawPeriodFields
    }
  }
`);

export const DisqualifyWinnerMutation = graphql(`
  mutation DisqualifyWinner($winnerID: ID!, $reason: String!) {
    disqualifyWinner(winnerID: $winnerID, reason: $reason) {
      ...WinnerFields
    }
  }
`);

export const UpdateWinnerMutation = graphql(`
  mutation UpdateWinner($id: ID!, $prizeStatus: PrizeStatus!, $note: String) {
    updateWinner(id: $id, prizeStatus: $prizeStatus, note: $note) {
      ...WinnerFields
    }
  }
`);
