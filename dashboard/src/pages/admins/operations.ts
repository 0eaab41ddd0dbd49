import { graphql } from '../../gql';

export const AdminFields = graphql(`
  fragment AdminFields on Admin {
    id
    username
    role
    disabled
    createdAt
  }
`);

export const AdminsQuery = graphql(`
  query Admins {
    admins {
      ...AdminFields
    }
  }
`);

export const CreateAdminMutation = graphql(`
  mutation CreateAdmin($input: CreateAdminInput!) {
    createAdmin(input: $input) {
      ...AdminFields
    }
  }
`);

export const SetAdminDisabledMutation = graphql(`
  mutation SetAdminDisabled($id: ID!, $disabled: Boolean!) {
    setAdminDisabled(id: $id, disabled: $disabled) {
      ...AdminFields
    }
  }
`);

export const ResetAdminPasswordMutation = graphql(`
  mutation ResetAdminPassword($id: ID!, $password: String!) {
    resetAdminPassword(id: $id, password: $password) {
      ...AdminFields
    }
  }
`);

export const SetAdminRoleMutation = graphql(`
  mutation SetAdminRole($id: ID!, $role: AdminRole!) {
    setAdminRole(id: $id, role: $role) {
      ...AdminFields
    }
  }
`);

export const ChangeMyPasswordMutation = graphql(`
  mutation ChangeMyPassword($oldPassword: String!, $newPassword: String!) {
    changeMyPassword(oldPassword: $oldPassword, newPassword: $newPassword)
  }
`);

export const AuditEventsQuery = graphql(`
  query AuditEvents($first: Int, $after: Cursor, $where: AuditEventWhereInput, $orderBy: AuditEventOrder) {
    auditEvents(first: $first, after: $after, where: $where, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          action
          actor
          subject
          at
          clientAddress
          payload
        }
      }
    }
  }
`);
