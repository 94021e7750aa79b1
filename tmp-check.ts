import { parseDraft } from './src/core/draft';
void (async () => {
  for (const t of [
    '---\nto: a@x.org\nsubject: !custom Hi\n---\n',
    '---\ncc: &team a@x.org, b@x.org\nbcc: *team\nsubject: Hi\n---\n',
    '---\nto: a@x.org\nsubject: Hi\n? [a, b]\n: c\n---\n',
    '---\nto: &t bad@@x.org\ncc: *t\nsubject: Hi\n---\n',
  ]) console.log(JSON.stringify(await parseDraft(t, { format: 'markdown', baseDir: '/tmp' })));
})();
