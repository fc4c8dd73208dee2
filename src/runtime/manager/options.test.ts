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

  it('reads the metrics server flags of a kubebuilder main.go', () => {
    const options = managerOptionsFromArgs([
      '--metrics-bind-address=:8443',
      '--metrics-secure=false',
      '--metrics-cert-path',
      '/tmp/k8s-metrics-server/metrics-certs',
      '--metrics-cert-name=cert.pem',
      '--metrics-cert-key=key.pem',
      '--enable-http2',
    ]);
    expect(options).toEqual({
      metricsBindAddress: ':8443',
      metricsServer: {
        secure: false,
        certDir: '/tmp/k8s-metrics-server/metrics-certs',
        certName: 'cert.pem',
        keyName: 'key.pem',
      },
      enableHTTP2: true,
    });
    expect(managerOptionsFromArgs(['--metrics-secure', '--enable-http2=false'])).toEqual({
      metricsServer: { secure: true },
      enableHTTP2: false,
    });
    expect(() => managerOptionsFromArgs(['--metrics-secure=no'])).toThrow(/--metrics-secure: expected true or false/);
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

  it('reads --context and the client rate limit flags (-1 disables the limit)', () => {
    expect(
      managerOptionsFromArgs([
        '--kubeconfig',
        '/k',
        '--context=staging',
        '--kube-api-qps=50',
        '--kube-api-burst',
        '80',
      ]),
    ).toMatchObject({ kubeconfig: '/k', context: 'staging', client: { qps: 50, burst: 80 } });
    expect(managerOptionsFromArgs(['--kube-api-qps=-1']).client).toEqual({ qps: -1 });
    expect(() => managerOptionsFromArgs(['--kube-api-qps=0'])).toThrow(
      '--kube-api-qps: "0" is not a positive number (-1 disables the limit)',
    );
    expect(() => managerOptionsFromArgs(['--kube-api-burst=1.5'])).toThrow(
      '--kube-api-burst: "1.5" is not a whole number ≥ 1',
    );
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
