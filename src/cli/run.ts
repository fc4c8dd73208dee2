/**
 * `kubeforge run [--webhooks] [--kubeconfig F] [--context C]`: runs the operator on this machine
 * against the cluster of the kubeconfig (a local or envtest control plane), like kubebuilder's
 * `make install run`: the CRDs `kubeforge manifests` generates are applied, then the operator
 * starts on the same cluster (KUBECONFIG=F, `--context C` appended to its command). With `--webhooks`
 * it also serves its webhooks locally, without cert-manager or a redeploy: a throw-away CA and a
 * serving certificate for 127.0.0.1 are made, the webhook configurations and CRD conversion are
 * pointed at `https://127.0.0.1:<port>/…` with that CA, and all of it is removed on exit. With
 * `--watch` it is the dev loop instead (./dev-loop.ts): rebuild and restart on every save.
 */
import type { Command } from 'commander';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { UserError } from '../errors.js';
import type { CliIO } from './io.js';
import { applyCrds, FIELD_MANAGER, generated } from './run-manifests.js';
import type { LocalWebhooks } from '../runtime/webhook/index.js';

interface RunFlags {
  webhooks: boolean;
  webhookPort: string;
  kubeconfig?: string;
  context?: string;
  build: boolean;
  install: boolean;
  watch: boolean;
}

/** Local development: metrics over plain HTTP on :8080, no TokenReview per scrape (the default is HTTPS + auth on :8443). */
const DEV_FLAGS = ['--metrics-secure=false'];

export function register(program: Command, io: CliIO): void {
  program
    .command('run')
    .description('run the operator locally against the current cluster (CRDs applied; --webhooks serves webhooks too)')
    .argument('[command...]', 'the operator command after --', [])
    .option('--webhooks', 'serve admission and conversion webhooks locally (self-signed CA, 127.0.0.1)', false)
    .option('--webhook-port <port>', 'port of the local webhook server', '9443')
    .option('--kubeconfig <path>', 'kubeconfig of the cluster (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--no-build', 'do not run `npm run build` first')
    .option('--no-install', 'do not apply the CRDs')
    .option(
      '--watch',
      'the dev loop: rebuild (esbuild) and restart on changes to api/ and src/, re-applying changed CRDs',
      false,
    )
    .addHelpText(
      'after',
      '\nThe default command is `node dist/src/main.js --metrics-secure=false` (metrics over plain HTTP on :8080);\n' +
        'pass another after --, e.g. -- node dist/operator.js. With --context, `--context <name>` is appended\n' +
        'to the command and --kubeconfig reaches it as KUBECONFIG. --watch (what `npm run dev` runs) bundles\n' +
        'src/main.ts with esbuild into dist/dev/operator.mjs and runs that; see docs/cli.md "The dev loop".',
    )
    .action((command: string[], flags: RunFlags) => runOperator(command, flags, io));
}

async function runOperator(command: string[], flags: RunFlags, io: CliIO): Promise<void> {
  const port = Number(flags.webhookPort);
  if (!/^\d+$/.test(flags.webhookPort) || port < 1 || port > 65535) {
    throw new UserError(`--webhook-port "${flags.webhookPort}" is not a port number (1-65535)`);
  }
  if (flags.watch) {
    if (flags.webhooks)
      throw new UserError('--watch does not serve webhooks: run `kubeforge run --webhooks` without --watch');
    if (command.length > 0) throw new UserError('--watch runs the bundle it builds; it takes no command after --');
    const { runDevLoop } = await import('./dev-loop.js');
    return runDevLoop({ kubeconfig: flags.kubeconfig, context: flags.context, install: flags.install }, io);
  }
  const { apiGroupOf, readProject } = await import('../project/index.js');
  const project = await readProject(io.cwd);
  const runtime = await import('../runtime/index.js');
  const restConfig = runtime.loadRestConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  const client = runtime.newClient(restConfig, { fieldManager: FIELD_MANAGER });
  const { crds, webhookConfigurations, warnings } = await generated(io.cwd);
  for (const warning of warnings) io.printError(`warning: ${warning}`);
  const conversionCrds = project.resources
    .filter((resource) => resource.webhooks?.conversion)
    .map((resource) => `${resource.plural}.${apiGroupOf(resource)}`);

  if (flags.build) await runToEnd(io, 'npm', ['run', '--silent', 'build']);
  if (flags.install) await applyCrds(client, crds, io);

  const env: NodeJS.ProcessEnv = { ...process.env };
  if (flags.kubeconfig) env.KUBECONFIG = flags.kubeconfig;
  let certDir: string | undefined;
  let caPem = '';
  if (flags.webhooks) {
    certDir = await mkdtemp(join(tmpdir(), 'kubeforge-run-certs-'));
    caPem = await writeLocalCertificates(certDir);
    Object.assign(env, {
      KUBEFORGE_WEBHOOK_HOST: '127.0.0.1',
      KUBEFORGE_WEBHOOK_PORT: String(port),
      KUBEFORGE_WEBHOOK_CERT_DIR: certDir,
    });
  }

  const [executable, ...args] = command.length > 0 ? command : [process.execPath, 'dist/src/main.js', ...DEV_FLAGS];
  // The operator parses --context as controller-runtime's flags do, so it runs where the CRDs went.
  if (flags.context) args.push('--context', flags.context);
  io.print(`running ${[executable, ...args].join(' ')}`);
  // Its own process group: a terminal's Ctrl-C reaches only us, and we forward it exactly once
  // (the manager exits at once on a second signal).
  const child = spawn(executable, args, { cwd: io.cwd, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
    child.on('error', (error) => {
      io.printError(`cannot start ${executable}: ${error.message}`);
      resolve(127);
    });
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);

  let registration: LocalWebhooks | undefined;
  try {
    if (flags.webhooks) {
      const serving = await Promise.race([untilListening(port, child), exited.then(() => false)]);
      if (serving) {
        const { registerLocalWebhooks } = await import('../runtime/webhook/index.js');
        registration = await registerLocalWebhooks(client, {
          baseUrl: `https://127.0.0.1:${port}`,
          caPem,
          configurations: webhookConfigurations,
          conversionCrds,
          namePrefix: `${project.projectName}-dev-`,
        });
        const names = [...registration.configurationNames, ...conversionCrds.map((crd) => `${crd} conversion`)];
        io.print(`webhooks served at https://127.0.0.1:${port} for the apiserver: ${names.join(', ') || 'none'}`);
      }
    }
    const code = await exited;
    if (code !== 0 && code !== 130 && code !== 143) {
      throw new UserError(`the operator exited with code ${code}`, { exitCode: code });
    }
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    if (registration) {
      await registration.unregister();
      io.print('webhook configurations removed and CRD conversion switched off');
    }
    if (certDir) await rm(certDir, { recursive: true, force: true });
  }
}

/** A throw-away CA and a serving certificate for 127.0.0.1 in `dir` (tls.crt, tls.key); returns the CA PEM. */
async function writeLocalCertificates(dir: string): Promise<string> {
  const { createCertificateAuthority, issueCertificate } = await import('../runtime/serving/index.js');
  const ca = await createCertificateAuthority('kubeforge-run-webhook-ca');
  const serving = await issueCertificate(ca, {
    commonName: 'kubeforge-run-webhook',
    usage: 'server',
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['localhost'],
  });
  await writeFile(join(dir, 'tls.key'), serving.key, { mode: 0o600 });
  await writeFile(join(dir, 'tls.crt'), serving.cert);
  return ca.cert;
}

/** Resolves true once something accepts TLS on 127.0.0.1:`port`, false if the child exits first. */
async function untilListening(port: number, child: ChildProcess): Promise<boolean> {
  while (child.exitCode === null && child.signalCode === null) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

async function runToEnd(io: CliIO, executable: string, args: string[]): Promise<void> {
  const code = await new Promise<number>((resolve) => {
    const child = spawn(executable, args, { cwd: io.cwd, stdio: 'inherit' });
    child.on('exit', (exitCode) => resolve(exitCode ?? 1));
    child.on('error', () => resolve(127));
  });
  if (code !== 0) throw new UserError(`${executable} ${args.join(' ')} failed (exit code ${code})`, { exitCode: code });
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 2 : signal === 'SIGKILL' ? 9 : 15;
}
