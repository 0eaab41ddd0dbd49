import { graphql } from '../../gql';
import type { ParticipantWhereInput } from '../../gql/graphql';

export const ParticipantsQuery = graphql(`
  query Participants($first: Int, $after: Cursor, $where: ParticipantWhereInput, $orderBy: ParticipantOrder) {
    participants(first: $first, after: $after, where: $where, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          publicID
          nickname
          provider
          blocked
          blockedReason
          createdAt
        }
      }
    }
  }
`);

export const SuspiciousParticipantsQuery = graphql(`
  query SuspiciousParticipants($campaignID: ID!, $minSecondsPerQuestion: Float, $maxAttempts: Int, $maxPerFingerprint: Int) {
    suspiciousParticipants(
      campaignID: $campaignID
      minSecondsPerQuestion: $minSecondsPerQuestion
      maxAttempts: $maxAttempts
      maxPerFingerprint: $maxPerFingerprint
    ) {
      participant {
        id
        publicID
        nickname
        blocked
      }
      signals {
        kind
        detail
        attemptID
        durationMs
        count
      }
    }
  }
`);

export const BlockParticipantMutation = graphql(`
  mutation BlockParticipant($id: ID!, $reason: String!) {
    blockParticipant(id: $id, reason: $reason) {
      id
      blocked
      blockedReason
    }
  }
`);

export const UnblockParticipantMutation = graphql(`
  mutation UnblockParticipant($id: ID!) {
    unblockParticipant(id: $id) {
      id
      blocked
      blockedReason
    }
  }
`);

export interface ParticipantFilters {
  search: string;
  blocked?: boolean;
}

/** A search box that matches a public ID exactly when it looks like one (p + 10–12 letters/digits), else nicknames. */
export function participantsWhere(f: ParticipantFilters): ParticipantWhereInput {
  const w: ParticipantWhereInput = {};
  const q = f.search.trim();
  if (q) {
    if (/^p[a-z0-9]{9,15}$/.test(q)) w.or = [{ publicID: q }, { nicknameContains: q }];
    else w.nicknameContains = q;
  }
  if (f.blocked !== undefined) w.blocked = f.blocked;
  return w;
}

export const SUSPICION_DEFAULTS = { minSecondsPerQuestion: 2, maxAttempts: 50, maxPerFingerprint: 5 };
