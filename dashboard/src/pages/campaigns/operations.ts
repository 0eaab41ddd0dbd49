import { graphql } from '../../gql';

export const CampaignRulesFields = graphql(`
  fragment CampaignRulesFields on Campaign {
    id
    publicID
    name
    description
    startsAt
    endsAt
    timezone
    questionsPerAttempt
    categoryQuotas {
      category
      count
    }
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
  }
`);

export const PeriodFields = graphql(`
  fragment PeriodFields on Period {
    id
    index
    startsAt
    endsAt
    status
    commitmentDigest
  }
`);

export const CampaignsQuery = graphql(`
  query Campaigns {
    campaigns {
      ...CampaignRulesFields
      bank {
        id
        name
      }
      periods {
        ...PeriodFields
      }
    }
  }
`);

export const CampaignQuery = graphql(`
  query Campaign($id: ID!) {
    campaign(id: $id) {
      ...CampaignRulesFields
      bank {
        id
        name
      }
      periods {
        ...PeriodFields
        commitmentRecord
        poolDigest
      }
    }
  }
`);

export const ActiveCampaignsQuery = graphql(`
  query ActiveCampaigns {
    activeCampaigns {
      id
      name
      startsAt
      endsAt
      timezone
      questionsPerAttempt
      timeLimitSeconds
      pointsPerQuestion
      winnersPerPeriod
      poolSize
      periods {
        ...PeriodFields
      }
    }
  }
`);

export const CreateCampaignMutation = graphql(`
  mutation CreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) {
      ...CampaignRulesFields
      periods {
        ...PeriodFields
      }
    }
  }
`);

export const CampaignBanksQuery = graphql(`
  query CampaignBanks {
    questionBanks {
      id
      name
      archived
    }
  }
`);

export const UpdateCampaignMutation = graphql(`
  mutation UpdateCampaign($id: ID!, $input: UpdateCampaignInput!) {
    updateCampaign(id: $id, input: $input) {
      ...CampaignRulesFields
      bank {
        id
        name
      }
      periods {
        ...PeriodFields
        commitmentRecord
        poolDigest
      }
    }
  }
`);
