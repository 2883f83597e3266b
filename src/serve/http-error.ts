/** An HTTP error answer of `beatscope serve`: its status and a one-line JSON body `{ error, ...fields }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** More fields of the error's JSON body. */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
