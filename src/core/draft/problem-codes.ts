/**
 * Every `DraftProblem.code` the draft parser emits. Stable: tests and quick fixes match on them.
 */
export const ProblemCode = {
  /** The draft does not start with a `---` line. */
  noFrontMatter: 'no-front-matter',
  /** `---` opens the front matter but no `---` or `...` line closes it. */
  unterminatedFrontMatter: 'unterminated-front-matter',
  /** The front matter is YAML but not a map of keys (e.g. a list or a lone string). */
  frontMatterNotAMap: 'front-matter-not-a-map',
  invalidYaml: 'invalid-yaml',
  /** A warning the YAML library raised (e.g. an unknown tag). */
  yamlWarning: 'yaml-warning',
  unknownKey: 'unknown-key',
  duplicateKey: 'duplicate-key',
  /** A key holds the wrong kind of YAML value (e.g. a map where a string belongs). */
  invalidType: 'invalid-type',
  invalidAddress: 'invalid-address',
  /** `from` holds more than one address. */
  invalidFrom: 'invalid-from',
  noRecipients: 'no-recipients',
  emptySubject: 'empty-subject',
  controlCharacter: 'control-character',
  missingAttachment: 'missing-attachment',
  unreadableAttachment: 'unreadable-attachment',
  attachmentIsDirectory: 'attachment-is-directory',
  invalidHeaderName: 'invalid-header-name',
  ownedHeader: 'owned-header',
  invalidMessageId: 'invalid-message-id',
  /** The draft is larger than the limit (10 MiB). */
  draftTooLarge: 'draft-too-large',
  /** The file was not valid UTF-8: the reader put U+FFFD where bytes could not be decoded. */
  invalidUtf8: 'invalid-utf8',
  /** A bidi control or invisible format character (error in addresses and paths, warning elsewhere). */
  formatCharacter: 'format-character',
  /** A header value has a run that cannot be folded to 998 octets per line (RFC 5322 2.1.1). */
  headerTooLong: 'header-too-long',
  /** An attachment's real path lies outside the workspace folder. */
  attachmentOutside: 'attachment-outside-workspace',
  /** A recipient given twice (domain compared case-insensitively); the later one is dropped. */
  duplicateRecipient: 'duplicate-recipient',
  /** A Markdown image that is missing, a folder, a special file, or unreadable. */
  missingImage: 'missing-image',
  /** A Markdown image whose leading bytes are not PNG, JPEG, GIF or WebP (SVG included). */
  notAnImage: 'not-an-image',
  /** A Markdown image whose real path lies outside the workspace folder. */
  imageOutside: 'image-outside-workspace',
  /** The user stylesheet (setting `stylesheet`) is missing, unreadable or too large. */
  stylesheet: 'stylesheet',
} as const;

export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];
