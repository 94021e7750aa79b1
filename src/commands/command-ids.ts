/** Command identifiers, exactly as contributed in package.json (a host test checks both agree). */
export const COMMAND_IDS = {
  send: 'sendAsEmail.send',
  saveEml: 'sendAsEmail.saveEml',
  setPassword: 'sendAsEmail.setPassword',
  forgetPassword: 'sendAsEmail.forgetPassword',
  testProfile: 'sendAsEmail.testProfile',
  showLog: 'sendAsEmail.showLog',
  preview: 'sendAsEmail.preview',
  chooseDraftProfile: 'sendAsEmail.chooseDraftProfile',
  signIn: 'sendAsEmail.signIn',
  signOut: 'sendAsEmail.signOut',
  newDraft: 'sendAsEmail.newDraft',
  addProfile: 'sendAsEmail.addProfile',
  reply: 'sendAsEmail.reply',
  forward: 'sendAsEmail.forward',
  retrySaveSent: 'sendAsEmail.retrySaveSent',
} as const;
