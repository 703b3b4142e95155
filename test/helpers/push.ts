/** HTTP pushes to a running daemon, answered with status and parsed JSON (or text) body. */
export interface PushResponse {
  status: number;
  body: unknown;
}

export async function push(
  baseUrl: string,
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<PushResponse> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: response.status, body: isJson ? JSON.parse(text) : text };
}
