/**
 * What a command needs from its surroundings — working directory, output, whether a person is at
 * a terminal, how to ask them, the clock — in one object, so tests drive commands in-process with
 * injected prompts and a fixed date. `terminalIO()` is the real one; @inquirer/prompts is loaded
 * only when a question is actually asked.
 */
import { UserError } from '../errors.js';

export interface InputQuestion {
  message: string;
  default?: string;
  /** `true` when valid, otherwise the message shown before asking again. */
  validate?: (value: string) => string | true;
}

export interface Prompts {
  input(question: InputQuestion): Promise<string>;
}

export interface CliIO {
  cwd: string;
  /** Writes one line (or several) to standard output. */
  print(text: string): void;
  /** Writes one line (or several) to standard error. */
  printError(text: string): void;
  /** True only when both stdin and stdout are terminals. */
  interactive: boolean;
  prompts: Prompts;
  now(): Date;
}

export function terminalIO(): CliIO {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return {
    cwd: process.cwd(),
    print: (text) => process.stdout.write(text + '\n'),
    printError: (text) => process.stderr.write(text + '\n'),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    prompts: {
      async input(question) {
        const { input } = await import('@inquirer/prompts');
        return input(question);
      },
    },
    // Reproducible builds: SOURCE_DATE_EPOCH fixes the year written into license headers.
    now: () => (Number.isFinite(epoch) && process.env.SOURCE_DATE_EPOCH ? new Date(epoch * 1000) : new Date()),
  };
}

/**
 * A required value: the flag's value when given (checked against `check`), else asked on a
 * terminal (unless `--yes`), else a `UserError` naming the flag.
 */
export async function requireValue(
  io: CliIO,
  options: {
    flag: string;
    value: string | undefined;
    yes: boolean;
    question: string;
    example: string;
    default?: string;
  },
  check: (value: string) => string | undefined,
): Promise<string> {
  if (options.value !== undefined) return validFlag(options.flag, options.value, check);
  if (io.interactive && !options.yes) {
    const answer = await io.prompts.input({
      message: options.question,
      default: options.default,
      validate: (value) => check(value.trim()) ?? true,
    });
    return validFlag(options.flag, answer.trim(), check);
  }
  throw new UserError(`${options.flag} is required`, {
    hint: `pass it, e.g. ${options.flag} ${options.example}${options.yes ? '' : ' (no terminal to ask on)'}`,
  });
}

/** The value when `check` accepts it, else a `UserError` naming the flag, the value and the rule. */
export function validFlag(flag: string, value: string, check: (value: string) => string | undefined): string {
  const broken = check(value);
  if (broken) throw new UserError(`${flag} "${value}" is invalid: ${broken}`);
  return value;
}
