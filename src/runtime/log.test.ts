import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newLogger, REDACTED, type LogOptions } from './log.js';

function capture(options: LogOptions & { tty?: boolean } = {}) {
  const lines: string[] = [];
  const destination = { write: (line: string) => void lines.push(line), isTTY: options.tty };
  const logger = newLogger({ ...options, destination });
  return { logger, lines, text: () => lines.join('') };
}

const ESC = '\x1b[';

describe('newLogger', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('writes JSON lines off a terminal', () => {
    const { logger, lines } = capture();
    logger.child({ controller: 'guestbook' }).info({ namespace: 'a', name: 'b' }, 'reconciled');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 30,
      controller: 'guestbook',
      namespace: 'a',
      msg: 'reconciled',
    });
  });

  it('writes one colored console line per event on a terminal, in zap console column order', () => {
    const { logger, text } = capture({ tty: true });
    logger.child({ component: 'manager' }).info({ controller: 'guestbook', workers: 1 }, 'Starting\nworkers');
    const out = text();
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
    const plain = stripVTControlCharacters(out);
    expect(plain).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tINFO\tmanager\tStarting\\nworkers\t\{"controller":"guestbook","workers":1\}\n$/,
    );
    expect(out).toContain(`${ESC}34mINFO${ESC}0m`);
  });

  it('turns colors off with NO_COLOR, and on a non-terminal console format', () => {
    vi.stubEnv('NO_COLOR', '1');
    const tty = capture({ tty: true });
    tty.logger.warn('careful');
    expect(tty.text()).toMatch(/\tWARN\tcareful\n$/);
    expect(tty.text()).not.toContain(ESC);
    vi.unstubAllEnvs();
    const piped = capture({ format: 'console' });
    piped.logger.error('broken');
    expect(piped.text()).toMatch(/\tERROR\tbroken\n$/);
    expect(piped.text()).not.toContain(ESC);
  });

  it('picks the format from KUBEFORGE_LOG_FORMAT and refuses an unknown one naming the variable', () => {
    vi.stubEnv('KUBEFORGE_LOG_FORMAT', 'console');
    const { logger, text } = capture();
    logger.info('hello');
    expect(text()).toMatch(/\tINFO\thello\n$/);
    vi.stubEnv('KUBEFORGE_LOG_FORMAT', 'yaml');
    expect(() => capture()).toThrow('KUBEFORGE_LOG_FORMAT: "yaml" is not one of json, console');
  });

  it('keeps an error stack only at the stacktrace level and above', () => {
    const { logger, lines } = capture();
    const err = new Error('list Guestbook: 404');
    logger.warn({ err }, 'retrying');
    logger.error({ err }, 'gave up');
    const [warn, error] = lines.map((line) => JSON.parse(line) as { err: { message: string; stack?: string } });
    expect(warn.err).toMatchObject({ type: 'Error', message: 'list Guestbook: 404' });
    expect(warn.err.stack).toBeUndefined();
    expect(error.err.stack).toContain('log.test.ts');

    const info = capture({ stacktraceLevel: 'info' });
    info.logger.info(err, 'noted');
    expect((JSON.parse(info.lines[0]) as { err: { stack?: string } }).err.stack).toContain('log.test.ts');
  });

  it('prints the error message as a field and the stack on indented lines in the console encoding', () => {
    const { logger, text } = capture({ format: 'console' });
    logger.error({ err: new Error('boom') }, 'reconcile failed');
    const [line, ...stack] = text().trimEnd().split('\n');
    expect(line).toMatch(/\tERROR\treconcile failed\t\{"error":"boom"\}$/);
    expect(stack.length).toBeGreaterThan(0);
    expect(stack.every((frame) => frame.startsWith('\tat '))).toBe(true);
  });

  it('applies the stacktrace level to child loggers, and keeps an err that is not an Error', () => {
    const { logger, lines } = capture();
    const child = logger.child({ controller: 'guestbook' }).child({ name: 'x' });
    child.warn({ err: new Error('retry') }, 'retrying');
    child.error({ err: new Error('failed') }, 'failed');
    const [warn, error] = lines.map((line) => JSON.parse(line) as { err: { stack?: string } });
    expect(warn.err.stack).toBeUndefined();
    expect(error.err.stack).toContain('Error: failed');
    const consoleLog = capture({ format: 'console' });
    consoleLog.logger.warn({ err: 'plain text' }, 'odd');
    expect(consoleLog.text()).toMatch(/\tWARN\todd\t\{"error":"plain text"\}\n$/);
  });

  it('development mode: console, debug, stacks from warn', () => {
    const { logger, text } = capture({ development: true });
    logger.debug('details');
    logger.warn({ err: new Error('slow') }, 'retrying');
    expect(text()).toMatch(/\tDEBUG\tdetails\n/);
    expect(text()).toMatch(/\tWARN\tretrying\t\{"error":"slow"\}\n\tat /);
  });

  it('censors credentials at the top level and one level down', () => {
    const { logger, lines } = capture();
    logger.info({ token: 's3cret', config: { bearerToken: 's3cret', password: 'pw', server: 'https://x' } }, 'config');
    logger.info({ headers: { authorization: 'Bearer s3cret' }, ['client-key-data']: 'key' }, 'request');
    expect(lines.join('')).not.toMatch(/s3cret|"pw"|"key"/);
    expect(JSON.parse(lines[0])).toMatchObject({
      token: REDACTED,
      config: { bearerToken: REDACTED, server: 'https://x' },
    });
    expect(JSON.parse(lines[1])).toMatchObject({ headers: { authorization: REDACTED }, 'client-key-data': REDACTED });
  });

  it('writes the time as --zap-time-encoding says', () => {
    const rfc = capture({ timeEncoding: 'rfc3339' });
    rfc.logger.info('x');
    expect((JSON.parse(rfc.lines[0]) as { time: string }).time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const epoch = capture({ timeEncoding: 'epoch' });
    epoch.logger.info('x');
    const seconds = (JSON.parse(epoch.lines[0]) as { time: number }).time;
    expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(3600);
  });
});
