/**
 * Which of the files a scaffold writes stay the user's once written. `alpha generate` replaces
 * the others (the scaffold-owned files: main.ts, Makefile, Dockerfile, config/, tool
 * configuration) with the fresh scaffold and keeps these as the project has them — as
 * kubebuilder's `alpha generate` keeps api/ and internal/ — along with every file no scaffold
 * writes (CRDs from `kubeforge manifests`, the user's own modules).
 */
const USER_OWNED: RegExp[] = [
  /^api\//, // types, conversions
  /^src\/controllers\//,
  /^src\/webhooks\//,
  /\.test\.ts$/,
  /^config\/samples\/(?!kustomization\.yaml$)/,
  /^config\/rbac\/role\.yaml$/, // `kubeforge manifests` writes it after init
  /^hack\/boilerplate\.ts\.txt$/,
  /^package\.json$/, // the dependencies the user installed
  /^README\.md$/,
];

/** Whether a scaffolded path is the user's once written (kept by `alpha generate`). */
export function isUserOwned(path: string): boolean {
  return USER_OWNED.some((pattern) => pattern.test(path));
}
