// Files the server hands out over plain HTTP (templates, exports). Exports
// need the bearer token, which an <a href> cannot send: fetch the file,
// then save the blob through a temporary object URL.

/** The file name of a Content-Disposition header (RFC 6266 filename* first). */
export function filenameFromDisposition(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)?''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  if (plain) return (plain[2] ?? plain[1]).trim();
  return undefined;
}

export type FileFormat = 'xlsx' | 'csv';

export const templateURL = (format: FileFormat) => `/api/templates/questions?format=${format}`;
export const bankExportURL = (bankID: string, format: FileFormat) =>
  `/api/export/banks/${encodeURIComponent(bankID)}/questions?format=${format}`;
export const winnersExportURL = (periodID: string, format: FileFormat) =>
  `/api/export/periods/${encodeURIComponent(periodID)}/winners?format=${format}`;

/** An HTTP failure of a download, with the status for the message. */
export class DownloadError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

/** Saves a blob under a name (an invisible link, clicked once). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** GETs `url` (with the bearer token when given) and saves the answer as a file. */
export async function downloadFile(url: string, { token, fallbackName, fetchImpl = fetch }: { token?: string | null; fallbackName: string; fetchImpl?: typeof fetch }): Promise<string> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetchImpl(url, { headers });
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    throw new DownloadError(res.status, text.trim() || res.statusText);
  }
  const blob = await res.blob();
  const name = filenameFromDisposition(res.headers.get('content-disposition')) ?? fallbackName;
  saveBlob(blob, name);
  return name;
}

/** Saves a text (e.g. JSON) as a file. */
export function saveText(text: string, filename: string, type = 'application/json'): void {
  saveBlob(new Blob([text], { type: `${type};charset=utf-8` }), filename);
}
