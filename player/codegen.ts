import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations from the server's schema. A schema change that breaks an
// operation in src/ fails `npm run codegen` (and therefore `npm run build`).
// documentMode 'string' keeps the GraphQL runtime out of the bundle: each
// operation is its query text, typed by its result and variables.
const config: CodegenConfig = {
  schema: '../graph/*.graphqls',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
      },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: {
          Time: 'string',
          Cursor: 'string',
          ID: 'string',
          Map: 'Record<string, unknown>',
          Upload: 'File',
        },
        skipTypename: true,
      },
    },
  },
};

export default config;
