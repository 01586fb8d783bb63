/**
 * Small shared HTTP utilities for the fake servers in this folder
 * (node:http only, no extra dependencies). Not meant to be imported by tests.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One part of a multipart/form-data body. */
export interface MultipartPart {
  /** form field name */
  name: string;
  /** present when the part is a file */
  filename?: string;
  /** content-type of the part (default text/plain) */
  contentType: string;
  data: Buffer;
}

/** Reads the whole request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
  });
}

/** Extracts the boundary from a multipart content-type header, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * Lenient multipart/form-data parser. Accepts both standard encoders
 * (undici FormData: `Content-Disposition: form-data; name="x"; filename="y"`)
 * and grammY's hand-written encoder (`content-disposition:form-data;name="x";filename=y`).
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delim = Buffer.from(`--${boundary}`);
  const positions: number[] = [];
  let from = 0;
  for (;;) {
    const idx = body.indexOf(delim, from);
    if (idx === -1) break;
    positions.push(idx);
    from = idx + delim.length;
  }
  const parts: MultipartPart[] = [];
  for (let k = 0; k + 1 < positions.length; k++) {
    const start = (positions[k] ?? 0) + delim.length;
    const end = positions[k + 1] ?? body.length;
    let chunk = body.subarray(start, end);
    if (chunk.subarray(0, 2).toString('latin1') === '--') break;
    if (chunk.subarray(0, 2).toString('latin1') === '\r\n') chunk = chunk.subarray(2);
    if (chunk.subarray(chunk.length - 2).toString('latin1') === '\r\n') {
      chunk = chunk.subarray(0, chunk.length - 2);
    }
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd === -1) continue;
    const headerText = chunk.subarray(0, headerEnd).toString('utf8');
    const data = chunk.subarray(headerEnd + 4);
    let name: string | undefined;
    let filename: string | undefined;
    let contentType = 'text/plain';
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon === -1) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === 'content-disposition') {
        const nm = /(?:^|;)\s*name=(?:"([^"]*)"|([^;]*))/i.exec(value);
        if (nm) name = (nm[1] ?? nm[2] ?? '').trim();
        const fm = /(?:^|;)\s*filename=(?:"([^"]*)"|([^;]*))/i.exec(value);
        if (fm) filename = (fm[1] ?? fm[2] ?? '').trim();
      } else if (key === 'content-type') {
        contentType = value;
      }
    }
    if (name === undefined) continue;
    const part: MultipartPart = { name, contentType, data: Buffer.from(data) };
    if (filename !== undefined) part.filename = filename;
    parts.push(part);
  }
  return parts;
}

/** Writes a JSON response (if the socket is still usable). */
export function sendJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

/** Tracks sockets so that close() can kill keep-alive and hanging connections. */
export function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** Listens on 127.0.0.1, port 0, resolves with the chosen port. */
export function listenLocal(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes the server and destroys every open socket (keep-alive, hanging, streaming). */
export function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      for (const s of sockets) s.destroy();
      resolve();
      return;
    }
    server.close(() => resolve());
    for (const s of sockets) s.destroy();
    server.closeAllConnections();
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
