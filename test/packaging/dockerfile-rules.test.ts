import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintDockerfile, parseDockerfile, runStageEnv } from './dockerfile-rules.js';

/** The Dockerfile `kubeforge init` writes (the golden project keeps a copy). */
const GENERATED = fileURLToPath(new URL('../../fixtures/golden/guestbook/Dockerfile', import.meta.url));

describe('the generated Dockerfile', () => {
  let dockerfile: string;
  beforeAll(async () => {
    dockerfile = await readFile(GENERATED, 'utf8');
  });

  it('passes every rule', () => {
    expect(lintDockerfile(dockerfile)).toEqual([]);
  });

  it('gives the operator a heap limit below the 256Mi container limit', () => {
    const heap = /--max-old-space-size=(\d+)/.exec(runStageEnv(dockerfile).NODE_OPTIONS ?? '');
    expect(Number(heap?.[1])).toBeGreaterThan(0);
    expect(Number(heap?.[1])).toBeLessThan(256);
  });

  it.each([
    ['multi-stage', (text: string) => text.slice(text.indexOf('FROM ${RUNTIME_IMAGE}'))],
    ['pinned-base', (text: string) => text.replace('ARG BUILD_IMAGE=node:20.20-bookworm-slim', 'ARG BUILD_IMAGE=node')],
    ['pinned-base', (text: string) => text.replace('nodejs20-debian12:nonroot\n', 'nodejs20-debian12:latest\n')],
    ['no-shell', (text: string) => text.replace('USER 65532:65532', 'RUN chmod -R 755 /app\nUSER 65532:65532')],
    ['only-bundle', (text: string) => text.replace('/workspace/dist/operator.js', '/workspace/')],
    ['only-bundle', (text: string) => text.replace('WORKDIR /app\n', 'WORKDIR /app\nCOPY package.json ./\n')],
    ['non-root', (text: string) => text.replace('USER 65532:65532', 'USER root')],
    ['exec-entrypoint', (text: string) => text.replace(/ENTRYPOINT .*/, 'ENTRYPOINT node /app/operator.mjs')],
    ['heap-limit', (text: string) => text.replace(' NODE_OPTIONS=--max-old-space-size=192', '')],
    ['no-add', (text: string) => text.replace('COPY src/ src/', 'ADD src/ src/')],
    ['npm-ci', (text: string) => text.replace('npm ci', 'npm install')],
    ['absolute-workdir', (text: string) => text.replace('WORKDIR /workspace', 'WORKDIR workspace')],
  ])('reports %s when a Dockerfile breaks it', (rule, mutate) => {
    const broken = mutate(dockerfile);
    expect(broken).not.toBe(dockerfile);
    expect(lintDockerfile(broken).map((finding) => finding.rule)).toContain(rule);
  });

  it('joins continued lines and names the line each instruction starts on', () => {
    const instructions = parseDockerfile('# comment\nFROM a:1 AS b\n\nRUN npm ci \\\n  --no-audit\nUSER 1');
    expect(instructions).toEqual([
      { keyword: 'FROM', args: 'a:1 AS b', line: 2 },
      { keyword: 'RUN', args: 'npm ci --no-audit', line: 4 },
      { keyword: 'USER', args: '1', line: 6 },
    ]);
  });
});
