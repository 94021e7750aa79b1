/** Command identifiers, as contributed in package.json. Preview, New Draft and Add Profile join here. */
export const COMMAND_IDS = {
  send: 'sendAsEmail.send',
  saveEml: 'sendAsEmail.saveEml',
  setPassword: 'sendAsEmail.setPassword',
  forgetPassword: 'sendAsEmail.forgetPassword',
  testProfile: 'sendAsEmail.testProfile',
  showLog: 'sendAsEmail.showLog',
} as const;
