import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../cli/cli-harness.js';
import {
  baseImages,
  DIGEST_PLACEHOLDER,
  lintDockerfile,
  parseDockerfile,
  runStageEnv,
  unpinnedBaseImages,
} from './dockerfile-rules.js';

/** The Dockerfile and Makefile `kubeforge init` writes (the golden project keeps a copy). */
const GOLDEN = fileURLToPath(new URL('../../fixtures/golden/guestbook/', import.meta.url));
const GENERATED = join(GOLDEN, 'Dockerfile');

/**
 * A stand-in for `docker` that logs its arguments and answers `buildx imagetools inspect <image>` as
 * docker does, with a digest made from the image and $FAKE_SALT (so a registry "update" changes it).
 */
const FAKE_DOCKER = `#!/bin/sh
echo "$*" >> "$FAKE_LOG"
if [ "$1 $2 $3" = "buildx imagetools inspect" ]; then
  printf 'Name:      %s\nMediaType: application/vnd.oci.image.index.v1+json\nDigest:    sha256:%s\n' "$4" \
    "$(printf '%s' "$4$FAKE_SALT" | sha256sum | cut -d' ' -f1)"
fi
`;

const fakeDigest = (image: string, salt: string) =>
  `sha256:${createHash('sha256').update(`${image}${salt}`).digest('hex')}`;

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
    [
      'pinned-base',
      (text: string) => text.replace(`node:20.20-bookworm-slim@${DIGEST_PLACEHOLDER}`, 'node:20.20-bookworm-slim'),
    ],
    ['pinned-base', (text: string) => text.replace(`nonroot@${DIGEST_PLACEHOLDER}`, 'nonroot@sha256:abc')],
    [
      'versioned-base',
      (text: string) => text.replace('ARG BUILD_IMAGE=node:20.20-bookworm-slim@', 'ARG BUILD_IMAGE=node@'),
    ],
    ['versioned-base', (text: string) => text.replace('nodejs20-debian12:nonroot@', 'nodejs20-debian12:latest@')],
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

  it('pins both base images by digest, with the placeholder a new project starts from', () => {
    expect(baseImages(dockerfile).map(({ image }) => image)).toEqual([
      `node:20.20-bookworm-slim@${DIGEST_PLACEHOLDER}`,
      `gcr.io/distroless/nodejs20-debian12:nonroot@${DIGEST_PLACEHOLDER}`,
    ]);
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

// The Makefile's pinning, with a stand-in for docker: no engine and no registry are reachable here.
describe('make pin-base-images and make docker-build', () => {
  let dir: string;
  const make = (target: string, salt: string) =>
    sh(dir, 'make', [target, `CONTAINER_TOOL=${join(dir, 'docker')}`], {
      FAKE_LOG: join(dir, 'docker.log'),
      FAKE_SALT: salt,
    });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubeforge-pin-'));
    for (const file of ['Dockerfile', 'Makefile']) await copyFile(join(GOLDEN, file), join(dir, file));
    await writeFile(join(dir, 'docker'), FAKE_DOCKER);
    await chmod(join(dir, 'docker'), 0o755);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('make docker-build refuses to build while a base image is not pinned, naming make pin-base-images', async () => {
    const refused = await make('docker-build', '').catch((error: Error) => error.message);
    expect(refused).toContain('the base images are not pinned to a digest yet: run `make pin-base-images` first');
    expect(await readFile(join(dir, 'docker.log'), 'utf8').catch(() => '')).toBe('');
  });

  it('fills each placeholder with the digest its tag has now, and moves the pins when run again', async () => {
    const pinned = async (salt: string) => {
      await make('pin-base-images', salt);
      return readFile(join(dir, 'Dockerfile'), 'utf8');
    };
    const images = ['node:20.20-bookworm-slim', 'gcr.io/distroless/nodejs20-debian12:nonroot'];
    const first = await pinned('v1');
    expect(baseImages(first).map(({ image }) => image)).toEqual(
      images.map((image) => `${image}@${fakeDigest(image, 'v1')}`),
    );
    expect(unpinnedBaseImages(first)).toEqual([]);
    expect(lintDockerfile(first)).toEqual([]);
    const updated = await pinned('v2');
    expect(baseImages(updated).map(({ image }) => image)).toEqual(
      images.map((image) => `${image}@${fakeDigest(image, 'v2')}`),
    );
    expect(updated.replace(/sha256:[0-9a-f]{64}/g, DIGEST_PLACEHOLDER)).toBe(await readFile(GENERATED, 'utf8'));

    await make('docker-build', 'v2');
    expect((await readFile(join(dir, 'docker.log'), 'utf8')).trim().split('\n').at(-1)).toBe(
      'build -t controller:latest .',
    );
  });
});
