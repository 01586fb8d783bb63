// The download of a Telegram file (a voice answer, an uploaded document); the URL holds the
// token, so no error ever includes it. Speech to text itself is interview/transcriber.ts.

/** Telegram lets bots download files up to 20 MB. */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
export const DEFAULT_API_ROOT = 'https://api.telegram.org';

export class DownloadError extends Error {}

/** Fetches `${apiRoot}/file/bot${token}/${filePath}`; the URL holds the token, so errors never include it. */
export async function downloadTelegramFile(apiRoot: string, token: string, filePath: string, timeoutMs = 30_000): Promise<Buffer> {
  const response = await fetch(`${apiRoot.replace(/\/+$/, '')}/file/bot${token}/${filePath}`, { signal: AbortSignal.timeout(timeoutMs) }).catch(
    (error: unknown) => {
      throw new DownloadError(`download failed: ${error instanceof Error ? error.name : 'error'}`);
    },
  );
  if (!response.ok) throw new DownloadError(`download failed: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > MAX_DOWNLOAD_BYTES) throw new DownloadError('file too large');
  return bytes;
}
