import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** PATH without any directory that holds a `go` binary: a machine without Go, for error-path tests. */
export function pathWithoutGo(): string {
  return (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => dir && !existsSync(join(dir, 'go')))
    .join(':');
}
