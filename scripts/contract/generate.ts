import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDoc, renderTypes } from '../../gateway/contract/generate.js';
import { projectRoot } from '../../gateway/util/project-root.js';

// Regenerates the contract's TypeScript types and the district's documentation from the schemas.
const dir = join(projectRoot(), 'gateway', 'contract');
writeFileSync(join(dir, 'types.generated.ts'), await renderTypes());
writeFileSync(join(dir, 'README.md'), renderDoc());
console.log('wrote gateway/contract/types.generated.ts and gateway/contract/README.md');
