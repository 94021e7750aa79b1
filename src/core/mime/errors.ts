/**
 * What can go wrong while composing or streaming a message: a member of the application error
 * family (kind `compose`), with a `reason` the explanation can switch over.
 */
import { AppError } from '../errors';
import type { LocalizedText } from '../text';
import { localized } from '../text';

export type ComposeErrorReason =
  /** An address cannot be written on the wire (no `@`, bad domain, control characters). */
  | 'invalid-address'
  /** A header name or value cannot be written (line break, reserved name, too long). */
  | 'invalid-header'
  /** An attachment or inline image is missing or unreadable. */
  | 'file-unreadable'
  /** A file's size changed between the check and the stream, so `size` would lie. */
  | 'file-changed'
  /** A boundary from the identity is not a valid boundary or occurs in a part's content. */
  | 'boundary-collision';

export class ComposeError extends AppError {
  readonly kind = 'compose' as const;
  constructor(
    readonly reason: ComposeErrorReason,
    text: LocalizedText,
    /** The file concerned, for `file-*` reasons. */
    readonly path?: string,
    cause?: unknown,
  ) {
    super(text, cause);
  }
}

/** A file the message carries, as the user knows it. */
export interface FileRef {
  readonly role: 'attachment' | 'image';
  /** The name the recipient sees. */
  readonly filename: string;
  /** Where the bytes are read from. */
  readonly path: string;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function fileUnreadable(file: FileRef, error: unknown): ComposeError {
  const text =
    file.role === 'image'
      ? localized('Cannot read the image "{0}" ({1}): {2}', file.filename, file.path, reasonOf(error))
      : localized('Cannot read the attachment "{0}" ({1}): {2}', file.filename, file.path, reasonOf(error));
  return new ComposeError('file-unreadable', text, file.path, error);
}

export function fileNotRegular(file: FileRef): ComposeError {
  const text =
    file.role === 'image'
      ? localized('Cannot read the image "{0}" ({1}): it is not a regular file.', file.filename, file.path)
      : localized('Cannot read the attachment "{0}" ({1}): it is not a regular file.', file.filename, file.path);
  return new ComposeError('file-unreadable', text, file.path);
}

/** The size was declared (SIZE, the confirmation) before the bytes were read; they must match. */
export function fileChanged(file: FileRef, expected: number, read: number): ComposeError {
  const text =
    file.role === 'image'
      ? localized('The image "{0}" changed while the message was being sent: expected {1} bytes, read {2} ({3}).', file.filename, expected, read, file.path)
      : localized('The attachment "{0}" changed while the message was being sent: expected {1} bytes, read {2} ({3}).', file.filename, expected, read, file.path);
  return new ComposeError('file-changed', text, file.path);
}
