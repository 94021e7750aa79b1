/**
 * What can go wrong while composing or streaming a message. One class with a `kind`
 * discriminant, so the code that turns errors into user messages can switch over every case.
 */

export type ComposeErrorKind =
  /** An address cannot be written on the wire (no `@`, bad domain, control characters). */
  | 'invalid-address'
  /** A header name or value cannot be written (line break, reserved name, too long). */
  | 'invalid-header'
  /** An attachment or inline image is missing or unreadable. */
  | 'file-unreadable'
  /** A file's size changed between the check and the stream, so `size` would lie. */
  | 'file-changed'
  /** An injected boundary occurs in a part's content. */
  | 'boundary-collision'
  /** The Markdown could not be rendered without errors (e.g. a missing image). */
  | 'render-failed';

export class ComposeError extends Error {
  override readonly name = 'ComposeError';
  constructor(
    readonly kind: ComposeErrorKind,
    message: string,
    /** The file concerned, for `file-*` kinds. */
    readonly path?: string,
  ) {
    super(message);
  }
}
