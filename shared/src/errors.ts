// One error module: each code has an HTTP status, used for HTTP responses, socket acks and close codes alike.

export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  /** A wrong two-factor or recovery code. */
  invalid_code: 401,
  /** The second sign-in step is unknown, used up or too old: start again with the password. */
  challenge_invalid: 401,
  /** The workspace requires two-factor sign-in, so it cannot be turned off. */
  two_factor_required: 403,
  forbidden: 403,
  csrf_failed: 403,
  insufficient_scope: 403,
  upload_link_invalid: 403,
  upload_link_expired: 403,
  not_found: 404,
  /** An invitation or password link that was never issued, was used, replaced or revoked. */
  link_invalid: 404,
  /** An invitation or password link past its expiry. */
  link_expired: 410,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `customFields.plan`. */
  path: string;
  message: string;
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: FieldIssue[]; requestId?: string };
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues?: FieldIssue[];

  constructor(code: ErrorCode, message: string, issues?: FieldIssue[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    if (issues) this.issues = issues;
  }

  toBody(requestId?: string): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues ? { issues: this.issues } : {}),
        ...(requestId ? { requestId } : {}),
      },
    };
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const validation = (path: string, message: string) =>
  new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);
