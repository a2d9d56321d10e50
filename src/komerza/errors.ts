/**
 * Typed Komerza failures. The rest of the app branches on `kind` (never on HTTP status codes or message text),
 * so the Slack layer can turn each one into its own clear message.
 */
export type KomerzaErrorKind =
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'feature_unavailable'
  | 'rate_limited'
  | 'unavailable'
  | 'rejected'
  | 'invalid_response';

/** Why Komerza could not be used: each reason gets its own wording in Slack. */
export type UnavailableReason = 'timeout' | 'network' | 'server_error' | 'non_json' | 'edge_blocked';

export abstract class KomerzaError extends Error {
  abstract readonly kind: KomerzaErrorKind;
  /** The API route template (e.g. `GET /stores/{storeId}/customers/{id}`): safe to log, holds no personal data. */
  readonly route: string;
  readonly status: number | undefined;

  constructor(message: string, route: string, status?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.route = route;
    this.status = status;
  }
}

export class KomerzaNotFoundError extends KomerzaError {
  readonly kind = 'not_found';
  /** True when the answer was not Komerza's JSON envelope (404/405 from the edge): the route itself is missing. */
  readonly routeMissing: boolean;
  /** `status` undefined: nothing was sent (an id that cannot be one, e.g. a ticket id that is not a UUID). */
  constructor(route: string, status: number | undefined, routeMissing: boolean) {
    super(`Komerza found nothing at ${route}`, route, status);
    this.routeMissing = routeMissing;
  }
}

export class KomerzaUnauthorizedError extends KomerzaError {
  readonly kind = 'unauthorized';
  constructor(route: string, status: number) {
    super('Komerza rejected the API key (invalid, expired or revoked)', route, status);
  }
}

export class KomerzaForbiddenError extends KomerzaError {
  readonly kind = 'forbidden';
  /** The scope the route needs, per Komerza's docs; undefined where the docs do not say. */
  readonly scope: string | undefined;
  constructor(route: string, status: number, scope: string | undefined) {
    super(`The API key lacks the scope ${scope ?? '(unknown)'} for ${route}`, route, status);
    this.scope = scope;
  }
}

/**
 * A 403 that is not about the key's scopes: Komerza's own code says the store's plan or account cannot use this
 * (`FeatureUnavailable`, `UpgradeRequired`, `VerificationRequired`, docs/komerza-api.md §3.3). Adding a scope to the
 * key would not help, so it must not be reported as a missing scope.
 */
export class KomerzaFeatureUnavailableError extends KomerzaError {
  readonly kind = 'feature_unavailable';
  /** Komerza's error code, as sent. */
  readonly code: string;
  constructor(route: string, status: number, code: string) {
    super(`Komerza refused ${route} for the store's plan or account (${code})`, route, status);
    this.code = code;
  }
}

export class KomerzaRateLimitedError extends KomerzaError {
  readonly kind = 'rate_limited';
  /** Seconds from Komerza's `Retry-After` header, when it sent one. */
  readonly retryAfterSeconds: number | undefined;
  constructor(route: string, retryAfterSeconds: number | undefined) {
    super(`Komerza rate-limited ${route}`, route, 429);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class KomerzaUnavailableError extends KomerzaError {
  readonly kind = 'unavailable';
  readonly reason: UnavailableReason;
  constructor(route: string, reason: UnavailableReason, status?: number, options?: ErrorOptions) {
    super(`Komerza is unavailable (${reason}${status ? ` ${status}` : ''}) at ${route}`, route, status, options);
    this.reason = reason;
  }
}

/** Komerza understood the request and refused it (400 ValidationError, 409 ObjectConflict, other error codes). */
export class KomerzaRejectedError extends KomerzaError {
  readonly kind = 'rejected';
  /** Komerza's error code string (e.g. `ValidationError`), when it sent one. */
  readonly code: string | undefined;
  constructor(route: string, status: number | undefined, code: string | undefined) {
    super(`Komerza refused the request to ${route} (${code ?? status ?? 'unknown'})`, route, status);
    this.code = code;
  }
}

export class KomerzaInvalidResponseError extends KomerzaError {
  readonly kind = 'invalid_response';
  constructor(route: string, reason: string, status?: number) {
    super(`Komerza sent a response the app cannot read (${reason}) at ${route}`, route, status);
  }
}

/** Every concrete Komerza error: a union, so `switch (error.kind)` narrows to the class and its fields. */
export type AnyKomerzaError =
  | KomerzaNotFoundError
  | KomerzaUnauthorizedError
  | KomerzaForbiddenError
  | KomerzaFeatureUnavailableError
  | KomerzaRateLimitedError
  | KomerzaUnavailableError
  | KomerzaRejectedError
  | KomerzaInvalidResponseError;

export function isKomerzaError(error: unknown): error is AnyKomerzaError {
  return error instanceof KomerzaError;
}
