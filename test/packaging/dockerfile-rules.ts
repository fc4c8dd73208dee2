/**
 * The Dockerfile rules a generated operator image must follow, checked without a Docker engine
 * (hadolint is not installable here from Debian or npm): a multi-stage build, base images with a
 * version tag and pinned by digest (`image:tag@sha256:<digest>`; a new project's placeholder
 * `sha256:<digest>` counts as pinned by design: `make pin-base-images` fills it in and
 * `make docker-build` refuses to build without), a final stage that runs no shell command, copies
 * only the bundle from the build stage, runs it from an exec-form ENTRYPOINT as UID 65532 with a
 * Node heap limit.
 */

export interface Instruction {
  keyword: string;
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface Finding {
  rule: string;
  line: number;
  message: string;
}

/** Instructions in order, with `\` continuations joined and comments and blank lines dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: Instruction | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1).trim() : line;
    if (pending) pending.args = `${pending.args} ${body}`.trim();
    else {
      const [keyword, ...rest] = body.split(/\s+/);
      pending = { keyword: keyword.toUpperCase(), args: rest.join(' '), line: index + 1 };
    }
    if (!continued) {
      instructions.push(pending);
      pending = undefined;
    }
  });
  return instructions;
}

const NON_ROOT_UID = '65532';
/** What `kubeforge init` writes until `make pin-base-images` replaces it with the tag's current digest. */
export const DIGEST_PLACEHOLDER = 'sha256:<digest>';
const DIGEST = /@sha256:([0-9a-f]{64}|<digest>)$/;
const BUNDLE = 'dist/operator.js';

/** The image of each FROM with the ARG defaults it names filled in, and its line. */
export function baseImages(text: string): { image: string; stage?: string; line: number }[] {
  const instructions = parseDockerfile(text);
  const argDefaults = new Map<string, string>();
  for (const { keyword, args } of instructions) {
    const match = keyword === 'ARG' ? /^(\w+)=(\S+)$/.exec(args) : null;
    if (match) argDefaults.set(match[1], match[2]);
  }
  return instructions
    .filter((instruction) => instruction.keyword === 'FROM')
    .map((from) => {
      const [image, as, stage] = from.args.split(/\s+/);
      return {
        image: image.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => argDefaults.get(name) ?? whole),
        stage: as?.toUpperCase() === 'AS' ? stage : undefined,
        line: from.line,
      };
    });
}

/** The base images whose digest is still the placeholder. */
export function unpinnedBaseImages(text: string): string[] {
  return baseImages(text)
    .map(({ image }) => image)
    .filter((image) => image.endsWith(`@${DIGEST_PLACEHOLDER}`));
}

export function lintDockerfile(text: string): Finding[] {
  const instructions = parseDockerfile(text);
  const findings: Finding[] = [];
  const flag = (rule: string, line: number, message: string) => findings.push({ rule, line, message });

  const froms = instructions.filter((instruction) => instruction.keyword === 'FROM');
  if (froms.length < 2)
    flag('multi-stage', froms[0]?.line ?? 1, 'build and run in separate stages (at least two FROM)');
  const stageNames = new Set<string>();
  for (const { image, stage, line } of baseImages(text)) {
    if (stage) stageNames.add(stage);
    const tag = /^[^@]*?:([^/@]+)$/.exec(image.split('@')[0])?.[1];
    if (tag === undefined || tag === 'latest') flag('versioned-base', line, `base image ${image} has no version tag`);
    if (!DIGEST.test(image))
      flag('pinned-base', line, `base image ${image} is not pinned by digest (image:tag@sha256:<digest>)`);
  }
  for (const instruction of instructions) {
    if (instruction.keyword === 'ADD') flag('no-add', instruction.line, 'use COPY, not ADD');
    if (instruction.keyword === 'WORKDIR' && !instruction.args.startsWith('/'))
      flag('absolute-workdir', instruction.line, 'WORKDIR must be absolute');
    if (instruction.keyword === 'RUN' && /\bnpm (install|i)\b/.test(instruction.args))
      flag('npm-ci', instruction.line, 'install from the lock file with npm ci');
  }

  const finalStart = instructions.lastIndexOf(froms[froms.length - 1]);
  const final = instructions.slice(finalStart + 1);
  const last = (keyword: string) => final.filter((instruction) => instruction.keyword === keyword).at(-1);
  const endLine = final.at(-1)?.line ?? 1;
  for (const run of final.filter((instruction) => instruction.keyword === 'RUN'))
    flag('no-shell', run.line, 'the run stage must not RUN commands (distroless images have no shell)');
  const copies = final.filter((instruction) => instruction.keyword === 'COPY');
  const onlyBundle = copies.length === 1 && /--from=(\S+)\s+\S*dist\/operator\.js\s/.exec(`${copies[0].args} `);
  if (!onlyBundle || !stageNames.has(onlyBundle[1]))
    flag('only-bundle', copies[0]?.line ?? endLine, `the run stage must copy only ${BUNDLE} from the build stage`);
  const user = last('USER');
  if (!user || user.args.split(':')[0] !== NON_ROOT_UID)
    flag('non-root', user?.line ?? endLine, `the run stage must end as USER ${NON_ROOT_UID}`);
  const entrypoint = last('ENTRYPOINT');
  if (!entrypoint || !entrypoint.args.startsWith('[') || !entrypoint.args.includes('operator'))
    flag('exec-entrypoint', entrypoint?.line ?? endLine, 'run the bundle from an exec-form ENTRYPOINT');
  const env = final.filter((instruction) => instruction.keyword === 'ENV').map((instruction) => instruction.args);
  if (!env.some((args) => /NODE_OPTIONS=\S*--max-old-space-size=\d+/.test(args)))
    flag('heap-limit', endLine, 'set NODE_OPTIONS=--max-old-space-size=<MiB> below the memory limit');
  return findings;
}

/** `ENV A=1 B=2` of the run stage as a map (the environment the image gives the operator). */
export function runStageEnv(text: string): Record<string, string> {
  const instructions = parseDockerfile(text);
  const finalStart = instructions.map((instruction) => instruction.keyword).lastIndexOf('FROM');
  const env: Record<string, string> = {};
  for (const { keyword, args } of instructions.slice(finalStart + 1)) {
    if (keyword !== 'ENV') continue;
    for (const pair of args.split(/\s+/)) {
      const at = pair.indexOf('=');
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}
