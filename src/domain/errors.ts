/**
 * Typed errors. Domain and store code throw these; the app's one `onError` turns them into
 * `{ error: { code, message, field? } }` with the status they carry.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const invalid = (field: string, message: string, code = "invalid_field") =>
  new AppError(400, code, message, field);

export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found`);

export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(409, code, message, undefined, details);
