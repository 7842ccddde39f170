import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Request bodies are read only up to a limit, so no request can make the server hold more
 * than that in memory: a declared Content-Length past it is refused before any byte is read,
 * and a body without one (chunked) is counted while it streams.
 */
export function declaresTooBig(req: IncomingMessage, limit: number): boolean {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > limit;
}

/** The body's bytes, or 'too-big' as soon as more than `limit` bytes arrived (the rest is not read). */
export function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | 'too-big'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        req.off('data', onData);
        req.pause();
        resolve('too-big');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

/** A JSON answer that also closes the connection when the client may still be sending a body we will not read. */
export function sendJson(res: ServerResponse, status: number, body: unknown, closeConnection = false): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  if (closeConnection) res.setHeader('Connection', 'close');
  res.end(JSON.stringify(body));
}
