// juice's DOM-only entry (no file or network loading); the same API as the package's main export.
declare module 'juice/client' {
  import juice from 'juice';
  export default juice;
}
