import { describe, expect, it } from 'vitest';
import { managerOptionsFromArgs, parseBindAddress } from './options.js';

describe('managerOptionsFromArgs', () => {
  it('reads every flag in both --flag value and --flag=value forms', () => {
    const options = managerOptionsFromArgs(
      [
        '--metrics-bind-address=127.0.0.1:9090',
        '--health-probe-bind-address',
        ':9091',
        '--leader-elect',
        '--namespace',
        'team-a',
        '--kubeconfig=/tmp/kc',
        '--log-level',
        'debug',
      ],
      { leaderElectionId: '3f1c2a9b.example.com' },
    );
    expect(options).toEqual({
      leaderElectionId: '3f1c2a9b.example.com',
      metricsBindAddress: '127.0.0.1:9090',
      healthProbeBindAddress: ':9091',
      leaderElection: { id: '3f1c2a9b.example.com' },
      namespace: 'team-a',
      kubeconfig: '/tmp/kc',
      logLevel: 'debug',
    });
  });

  it('keeps the defaults when no flags are given and leader election off', () => {
    expect(managerOptionsFromArgs([], { leaderElectionId: 'x', metricsBindAddress: '0' })).toEqual({
      leaderElectionId: 'x',
      metricsBindAddress: '0',
    });
    expect(managerOptionsFromArgs(['--leader-elect=false'], { leaderElectionId: 'x' }).leaderElection).toBeUndefined();
  });

  it('names the flag when a value is bad or missing', () => {
    expect(() => managerOptionsFromArgs(['--metrics-bind-address', 'localhost'])).toThrow(
      /--metrics-bind-address: invalid bind address "localhost"/,
    );
    expect(() => managerOptionsFromArgs(['--log-level', 'loud'])).toThrow(
      /--log-level: "loud" is not one of trace, debug/,
    );
    expect(() => managerOptionsFromArgs(['--namespace'])).toThrow('--namespace needs a value');
    expect(() => managerOptionsFromArgs(['--namespace', '--leader-elect'])).toThrow('--namespace needs a value');
    expect(() => managerOptionsFromArgs(['--namespace', 'Bad_NS'])).toThrow(
      /--namespace: "Bad_NS" is not a valid namespace name/,
    );
    expect(() => managerOptionsFromArgs(['--leader-elect=yes'], { leaderElectionId: 'x' })).toThrow(
      /--leader-elect: expected true or false/,
    );
  });

  it('rejects unknown flags and stray arguments, listing the known flags', () => {
    expect(() => managerOptionsFromArgs(['--metrics-addr=:8080'])).toThrow(
      /unknown flag --metrics-addr \(flags: --metrics-bind-address, /,
    );
    expect(() => managerOptionsFromArgs(['serve'])).toThrow(/unexpected argument "serve"/);
  });

  it('requires a lease name for --leader-elect', () => {
    expect(() => managerOptionsFromArgs(['--leader-elect'])).toThrow(/--leader-elect needs a lease name/);
  });
});

describe('parseBindAddress', () => {
  it('parses :port, host:port, [ipv6]:port and 0 (disabled)', () => {
    expect(parseBindAddress(':8080', 'x')).toEqual({ port: 8080 });
    expect(parseBindAddress('127.0.0.1:0', 'x')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseBindAddress('[::1]:8443', 'x')).toEqual({ host: '::1', port: 8443 });
    expect(parseBindAddress('0', 'x')).toBeUndefined();
    expect(() => parseBindAddress(':99999', 'flag')).toThrow(/flag: invalid bind address/);
  });
});
