import { graphql } from '../gql';

export const AdminSignInMutation = graphql(`
  mutation AdminSignIn($username: String!, $password: String!) {
    adminSignIn(username: $username, password: $password) {
      token
      expiresAt
      admin {
        username
        role
      }
    }
  }
`);

export const MeQuery = graphql(`
  query Me {
    me {
      username
      role
    }
  }
`);

export const AdminSignOutMutation = graphql(`
  mutation AdminSignOut {
    adminSignOut
  }
`);
