import { ConnectorError, asConnectorError, configError } from '../../src/errors';

describe('asConnectorError', () => {
  it('keeps a ConnectorError as it is', () => {
    const e = configError('bad key');
    expect(asConnectorError(e)).toBe(e);
  });

  it('makes an unknown error a system_error with a short text and only stack frames', () => {
    const secretish = 'x'.repeat(5000);
    const e = asConnectorError(new Error(`boom ${secretish}`));
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e.failureType).toBe('system_error');
    expect(e.message.length).toBeLessThan(600);
    expect(e.internalMessage ?? '').not.toContain('boom');
    expect(e.internalMessage).toMatch(/^\s+at /);
  });

  it('handles thrown non-errors', () => {
    expect(asConnectorError('plain').message).toBe('Unexpected error: plain');
  });
});
