import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

test('after quiet-env, no console method writes to stdout', () => {
  const quiet = path.resolve(__dirname, '..', '..', 'src', 'quiet-env.js');
  const script = `require(${JSON.stringify(quiet)}); console.log('a'); console.info('b'); console.dir({c: 1}); console.table([{d: 1}]); console.count('e'); console.warn('f'); console.trace('g');`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('a');
  expect(r.stderr).toContain('c: 1');
});
