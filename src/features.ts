/**
 * Everything the extension loads after start-up, in one place. activate() (extension.ts) only
 * registers commands and providers; the first command, provider call or draft check loads this
 * module with `import('./features.js')`, and the build (esbuild.js) makes it a file of its own.
 * One lazily loaded file, not one per command: every extra file costs a read and a compile at
 * load time, and the code shared with the start-up part stays in one shared file.
 */
export { addProfileCommand } from './commands/add-profile';
export { newDraftCommand } from './commands/new-draft';
export { forgetPasswordCommand, setPasswordCommand } from './commands/passwords';
export { previewCommand, previewSource } from './commands/preview';
export { forwardCommand, replyCommand } from './commands/reply';
export { retrySaveSentCommand } from './commands/retry-save-sent';
export { saveEmlCommand } from './commands/save-eml';
export { sendCommand } from './commands/send';
export { sendMergeCommand } from './commands/send-merge';
export { showLogCommand } from './commands/show-log';
export { signInCommand, signOutCommand } from './commands/sign-in';
export { testProfileCommand } from './commands/test-profile';
export { writeMergeCommand } from './commands/write-merge';
export { FrontMatterCompletion } from './host/authoring/completion';
export { FrontMatterHover } from './host/authoring/hover';
export { AddressBook } from './host/authoring/recipients';
export { AttachOnDrop, AttachOnPaste } from './host/authoring/drop-paste';
export { DraftCodeActions } from './host/editor/code-actions';
export { checkDocument } from './host/editor/draft-check';
export { chooseDraftProfile } from './host/editor/profile-command';
export { OAuthSignIn } from './host/oauth/sign-in';
export { PasswordStore } from './host/passwords';
export { PreviewController } from './host/preview/panel';
