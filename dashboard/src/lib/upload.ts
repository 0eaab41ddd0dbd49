// GraphQL multipart requests (graphql-multipart-request-spec): the
// operation as JSON in "operations", where the file goes in "map", then the
// file itself. urql's fetch exchange sends JSON only, so uploads go through
// fetch + FormData here.
import { CombinedError } from '@urql/core';
import type { GraphQLError } from 'graphql';
import { print, type DocumentNode } from 'graphql';

/** The request body of one operation with one file in variables[fileVar]. */
export function multipartBody(query: string, variables: Record<string, unknown>, fileVar: string, file: Blob, filename?: string): FormData {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables: { ...variables, [fileVar]: null } }));
  form.append('map', JSON.stringify({ '0': [`variables.${fileVar}`] }));
  if (filename !== undefined) form.append('0', file, filename);
  else form.append('0', file);
  return form;
}

export interface UploadResult<T> {
  data?: T;
  error?: CombinedError;
}

/** Sends one multipart operation; errors come back as urql's CombinedError so the usual error texts apply. */
export async function uploadOperation<T>(
  doc: DocumentNode | string,
  variables: Record<string, unknown>,
  fileVar: string,
  file: File,
  { token, url = '/graphql', fetchImpl = fetch }: { token?: string | null; url?: string; fetchImpl?: typeof fetch } = {},
): Promise<UploadResult<T>> {
  const query = typeof doc === 'string' ? doc : print(doc);
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetchImpl(url, { method: 'POST', headers, body: multipartBody(query, variables, fileVar, file, file.name) });
  } catch (e) {
    return { error: new CombinedError({ networkError: e instanceof Error ? e : new Error(String(e)) }) };
  }
  let body: { data?: T; errors?: GraphQLError[] } | undefined;
  try {
    body = await res.json();
  } catch {
    return { error: new CombinedError({ networkError: new Error(`HTTP ${res.status}`), response: res }) };
  }
  if (body?.errors?.length) return { data: body.data ?? undefined, error: new CombinedError({ graphQLErrors: body.errors, response: res }) };
  if (!body?.data) return { error: new CombinedError({ networkError: new Error(`HTTP ${res.status}`), response: res }) };
  return { data: body.data };
}
