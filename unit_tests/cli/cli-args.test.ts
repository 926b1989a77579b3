import { quickArgs } from '../../src/cli-args';
import { parseWithYargs } from '../../src/cli-usage';

/** What yargs makes of a command line, and what it printed. */
async function throughYargs(argv: string[]): Promise<{ result: unknown; printed: string }> {
  let printed = '';
  const result = await parseWithYargs(argv, (text) => (printed += text));
  return { result, printed };
}

describe('quickArgs (the command line read without yargs)', () => {
  it.each([
    [['spec']],
    [['check', '--config', 'secrets/config.json']],
    [['discover', '--config', '/a b/c.json']],
    [['write', '--config', 'c.json', '--catalog', 'k.json']],
    [['write', '--catalog', 'k.json', '--config', 'c.json']],
    [['write', '--config=c.json', '--catalog=k=v.json']],
    [['write', '--config', '123', '--catalog', 'true']],
    [['check', '--config', 'spec']],
  ])('reads %j exactly as yargs does', async (argv: string[]) => {
    const quick = quickArgs(argv);
    expect(quick).toBeDefined();
    expect(await throughYargs(argv)).toEqual({ result: quick, printed: '' });
  });

  it.each([
    [[]],
    [['--help']],
    [['write', '--help']],
    [['frobnicate']],
    [['toString']],
    [['check']],
    [['write', '--config', 'c.json']],
    [['spec', '--bogus']],
    [['check', '--config', 'c.json', '--verbose']],
    [['check', '--config', 'c.json', 'extra']],
    [['check', '--config', 'a.json', '--config', 'b.json']],
    [['check', '--config', '-x']],
    [['check', '--config', '']],
    [['check', '--config=']],
    [['check', '--config']],
    [['check', '-c', 'c.json']],
    [['check', '--Config', 'c.json']],
  ])('leaves %j to yargs', (argv: string[]) => {
    expect(quickArgs(argv)).toBeUndefined();
  });

  it('leaves help and usage errors to yargs, which prints them', async () => {
    expect(await throughYargs(['write', '--config', 'c.json'])).toEqual({ result: 2, printed: expect.stringContaining('Missing required argument: catalog') });
  });
});
