/** An HTML part Gmail will clip: the end of the message (and any tracking of it) is hidden. */
import { formatBytes } from '../../byte-size';
// One home for Gmail's clipping size: the Preview shows the same limit.
import { HTML_CLIP_BYTES } from '../../preview/view-model';
import { localized } from '../../text';
import type { DraftProblem } from '../types';
import { WarningCode } from './codes';
import { warningAt } from './lines';

/** `htmlBytes`: the rendered HTML's size in UTF-8 bytes, undefined when it was not measured. */
export function htmlClipped(htmlBytes: number | undefined): DraftProblem[] {
  if (htmlBytes === undefined || htmlBytes <= HTML_CLIP_BYTES) return [];
  return [
    warningAt(
      WarningCode.htmlClipped,
      localized('the HTML part is {0}; Gmail clips messages whose HTML is over 102 KB and hides the rest behind "[Message clipped]"', formatBytes(htmlBytes)),
      0,
      0,
      3,
    ),
  ];
}
