import { graphql } from '../../gql';
import type { QuestionWhereInput } from '../../gql/graphql';
import type { QuestionKind } from '../../lib/question';

export const QuestionBanksQuery = graphql(`
  query QuestionBanks {
    questionBanks {
      id
      name
      description
      archived
      createdAt
    }
  }
`);

export const CreateQuestionBankMutation = graphql(`
  mutation CreateQuestionBank($input: CreateQuestionBankInput!) {
    createQuestionBank(input: $input) {
      id
      name
      description
      archived
      createdAt
    }
  }
`);

export const UpdateQuestionBankMutation = graphql(`
  mutation UpdateQuestionBank($id: ID!, $input: UpdateQuestionBankInput!) {
    updateQuestionBank(id: $id, input: $input) {
      id
      name
      description
      archived
      createdAt
    }
  }
`);

export const BankQuestionCountQuery = graphql(`
  query BankQuestionCount($where: QuestionWhereInput) {
    questions(first: 0, where: $where) {
      totalCount
    }
  }
`);

export const QuestionFields = graphql(`
  fragment QuestionFields on Question {
    id
    kind
    stem
    options {
      key
      text
    }
    answer
    explanation
    category
    enabled
    version
    createdAt
    updatedAt
  }
`);

export const QuestionsQuery = graphql(`
  query Questions($first: Int, $after: Cursor, $where: QuestionWhereInput, $orderBy: QuestionOrder) {
    questions(first: $first, after: $after, where: $where, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...QuestionFields
          stats {
            served
            answered
            correct
            correctRate
            optionShares {
              key
              count
              share
            }
          }
        }
      }
    }
  }
`);

export const BankCategoriesQuery = graphql(`
  query BankCategories($where: QuestionWhereInput) {
    questions(first: 1000, where: $where) {
      edges {
        node {
          id
          category
        }
      }
    }
  }
`);

export const CreateQuestionMutation = graphql(`
  mutation CreateQuestion($input: CreateQuestionInput!) {
    createQuestion(input: $input) {
      ...QuestionFields
    }
  }
`);

export const UpdateQuestionMutation = graphql(`
  mutation UpdateQuestion($id: ID!, $input: UpdateQuestionInput!) {
    updateQuestion(id: $id, input: $input) {
      ...QuestionFields
    }
  }
`);

export const SetQuestionEnabledMutation = graphql(`
  mutation SetQuestionEnabled($id: ID!, $enabled: Boolean!) {
    setQuestionEnabled(id: $id, enabled: $enabled) {
      id
      enabled
      version
      updatedAt
    }
  }
`);

export const DeleteQuestionMutation = graphql(`
  mutation DeleteQuestion($id: ID!) {
    deleteQuestion(id: $id)
  }
`);

/** The filter of "questions of this bank, not deleted". */
export function bankWhere(bankID: string) {
  return { hasBankWith: [{ id: bankID }], deletedAtIsNil: true };
}

/** The filters of the questions table. */
export interface QuestionFilters {
  stem: string;
  kind?: QuestionKind;
  category?: string;
  enabled?: boolean;
}

/** The `where` of the questions connection for a bank and the filters. */
export function questionsWhere(bankID: string, f: QuestionFilters): QuestionWhereInput {
  const w: QuestionWhereInput = { ...bankWhere(bankID) };
  if (f.stem.trim()) w.stemContains = f.stem.trim();
  if (f.kind) w.kind = f.kind;
  if (f.category) w.category = f.category;
  if (f.enabled !== undefined) w.enabled = f.enabled;
  return w;
}

export const ImportQuestionsMutation = graphql(`
  mutation ImportQuestions($bankID: ID!, $file: Upload!, $dryRun: Boolean) {
    importQuestions(bankID: $bankID, file: $file, dryRun: $dryRun) {
      imported
      valid
      dryRun
      errors {
        row
        column
        message
      }
    }
  }
`);
