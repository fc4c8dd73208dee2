/**
 * The scaffold's lifecycle: rendering a project's scaffold from PROJECT (`alpha generate`), with
 * the templates of the version it was made with and of this one, and merging the two into the
 * user's files (`upgrade`).
 */
export { regeneratedProject, type GeneratedProject } from './generate.js';
export { droppedInitFiles, layoutRenderer, withoutAbsentFiles } from './layout-renderer.js';
export { gitMergeFile, type MergeFile, type MergeLabels, type MergeResult } from './merge-file.js';
export { isUserOwned } from './ownership.js';
export { rerunPlugins } from './plugins.js';
export { readProjectFiles, type ProjectFiles } from './project-files.js';
export { renderScaffold, scaffoldInputsOf, type ScaffoldInputs } from './render.js';
export { planUpgrade, type UpgradeAction, type UpgradeStep, type UpgradeVersions } from './upgrade-plan.js';
