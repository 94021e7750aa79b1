/**
 * The template "New Email Draft" uses when no templates folder is set, or offers first beside
 * the folder's own: the keys a message usually needs, in the order people fill them in.
 */
export const BUILT_IN_TEMPLATE = ['---', 'to: ', 'cc: ', 'subject: ', 'attach: ', '---', '', ''].join('\n');
