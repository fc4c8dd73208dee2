import { describe, expect, it } from 'vitest';
import { addImportAndStatement } from './ts-source.js';

const edit = {
  import: { name: 'setupGuestbookController', moduleSpecifier: './controllers/guestbook.controller.js' },
  statement: 'setupGuestbookController(mgr);',
  before: /\bmgr\.start\(/,
};

const withoutMarkers = [
  "import { managerOptionsFromArgs, newManager, signalHandler } from 'kubeforge/runtime';",
  "import { setupShopController } from './controllers/shop.controller.js';",
  '',
  'const mgr = await newManager(managerOptionsFromArgs(process.argv.slice(2)));',
  'setupShopController(mgr);',
  '',
  'await mgr.start(signalHandler());',
  '',
].join('\n');

describe('TypeScript source edits without markers', () => {
  it('adds the import after the last import and the call before the anchor statement', async () => {
    const edited = await addImportAndStatement(withoutMarkers, edit);
    expect(edited).toBe(
      [
        "import { managerOptionsFromArgs, newManager, signalHandler } from 'kubeforge/runtime';",
        "import { setupShopController } from './controllers/shop.controller.js';",
        "import { setupGuestbookController } from './controllers/guestbook.controller.js';",
        '',
        'const mgr = await newManager(managerOptionsFromArgs(process.argv.slice(2)));',
        'setupShopController(mgr);',
        'setupGuestbookController(mgr);',
        '',
        'await mgr.start(signalHandler());',
        '',
      ].join('\n'),
    );
  });

  it('changes nothing the second time', async () => {
    const once = (await addImportAndStatement(withoutMarkers, edit)) as string;
    expect(await addImportAndStatement(once, edit)).toBe(once);
  });

  it('returns undefined when no statement matches the anchor', async () => {
    expect(await addImportAndStatement("console.log('no manager here');\n", edit)).toBeUndefined();
  });
});
