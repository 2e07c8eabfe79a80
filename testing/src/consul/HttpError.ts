/**
 * An answer other than 200, with the plain-text reason Consul writes in the
 * body (Consul's HTTP API answers errors as text, not JSON).
 */
export class HttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
