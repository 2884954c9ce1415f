/** What a failure names of the call. */
export interface MaasCall {
  method: string;
  path: string;
  op?: string;
}

/**
 * A MAAS call that failed, in words an operator acts on: the call (method,
 * path, op), MAAS's status and what it said. A 401 names MAAS_API_KEY; the
 * key itself is never part of a request's text, so it cannot be echoed.
 */
export class MaasError extends Error {
  constructor(
    readonly request: MaasCall,
    readonly status: number | null,
    readonly said: string,
    readonly attempts = 1,
  ) {
    const call = `${request.method} ${request.path}${request.op ? `?op=${request.op}` : ''}`;
    const answer = said.length > 400 ? `${said.slice(0, 400)}…` : said;
    let text: string;
    if (status === null) text = `MAAS ${call}: ${answer}`;
    else if (status === 401) text = `MAAS refused the API key (HTTP 401 on ${call}): check MAAS_API_KEY (consumer_key:token_key:token_secret)${answer ? `; MAAS said: ${answer}` : ''}`;
    else text = `MAAS ${call} answered HTTP ${status}${answer ? `: ${answer}` : ''}`;
    super(attempts > 1 ? `${text} (after ${attempts} attempts)` : text);
    this.name = 'MaasError';
  }
}
