import { configError } from '../../src/errors';
import { Emitter } from '../../src/protocol/emitter';

function capture(): { emitter: Emitter; lines: () => Array<Record<string, any>>; raw: () => string } {
  const out: string[] = [];
  const emitter = new Emitter((l) => out.push(l));
  return { emitter, raw: () => out.join(''), lines: () => out.map((l) => JSON.parse(l) as Record<string, any>) };
}

describe('Emitter', () => {
  test('one JSON line per message, secrets redacted everywhere, also in their JSON-escaped form', () => {
    const { emitter, raw, lines } = capture();
    emitter.addSecrets(['s3cr3t"with\\quote', 'abc']); // 'abc' is too short to redact safely
    emitter.info('token s3cr3t"with\\quote in a log\nsecond line');
    emitter.traceError(configError('bad s3cr3t"with\\quote'));
    expect(raw().split('\n').filter(Boolean)).toHaveLength(2);
    expect(raw()).not.toContain('s3cr3t');
    expect(lines()[0]).toEqual({ type: 'LOG', log: { level: 'INFO', message: 'token ********** in a log\nsecond line' } });
    expect(lines()[1]?.trace.error).toMatchObject({ message: 'bad **********', failure_type: 'config_error' });
  });

  test('a CONTROL config message is the one message not redacted (Airbyte stores exactly what it gets)', () => {
    const { emitter, lines } = capture();
    emitter.addSecrets(['new-refresh-token-value']);
    emitter.connectorConfig({ refresh_token: 'new-refresh-token-value', client_id: 'x' });
    expect(lines()[0]).toMatchObject({
      type: 'CONTROL',
      control: { type: 'CONNECTOR_CONFIG', connectorConfig: { config: { refresh_token: 'new-refresh-token-value', client_id: 'x' } } },
    });
  });
});
