import { describe, expect, it } from 'vitest';
import { managerOptionsFromArgs } from './manager/index.js';

describe("controller-runtime's zap flags on managerOptionsFromArgs", () => {
  it('maps --zap-devel, --zap-encoder, --zap-stacktrace-level and --zap-time-encoding onto the log options', () => {
    expect(
      managerOptionsFromArgs([
        '--zap-devel',
        '--zap-encoder=json',
        '--zap-stacktrace-level',
        'panic',
        '--zap-time-encoding=rfc3339nano',
      ]),
    ).toEqual({ log: { development: true, format: 'json', stacktraceLevel: 'fatal', timeEncoding: 'rfc3339nano' } });
    expect(managerOptionsFromArgs(['--log-format', 'console', '--zap-devel=false'])).toEqual({
      log: { format: 'console', development: false },
    });
  });

  it('maps zap levels and verbosities onto pino levels', () => {
    const level = (...args: string[]) => managerOptionsFromArgs(args).logLevel;
    expect(level('--zap-log-level=debug')).toBe('debug');
    expect(level('--zap-log-level=ERROR')).toBe('error');
    expect(level('--zap-log-level=panic')).toBe('fatal');
    expect(level('--zap-log-level=1')).toBe('debug');
    expect(level('--zap-log-level=4')).toBe('trace');
    expect(level('-v', '0')).toBe('info');
    expect(level('-v=1')).toBe('debug');
    expect(level('--v=2')).toBe('trace');
    expect(level('--log-level=warn', '--zap-log-level=info')).toBe('info');
  });

  it('refuses bad values naming the flag, as zap does', () => {
    const parse =
      (...args: string[]) =>
      () =>
        managerOptionsFromArgs(args);
    expect(parse('--zap-log-level=0')).toThrow('--zap-log-level: "0" is not one of debug, info, error, panic');
    expect(parse('--zap-log-level=warn')).toThrow('--zap-log-level: "warn"');
    expect(parse('--zap-encoder=yaml')).toThrow('--zap-encoder: "yaml" is not one of json, console');
    expect(parse('--log-format=text')).toThrow('--log-format: "text" is not one of json, console');
    expect(parse('--zap-stacktrace-level=debug')).toThrow(
      '--zap-stacktrace-level: "debug" is not one of info, error, panic',
    );
    expect(parse('--zap-time-encoding=unix')).toThrow('--zap-time-encoding: "unix"');
    expect(parse('-v=high')).toThrow('-v: "high" is not a verbosity');
    expect(parse('--zap-devel=yes')).toThrow('--zap-devel: expected true or false, got "yes"');
  });
});
