// Whether dist/ (see scripts/build.mjs) holds a build of the current sources. Plain JavaScript:
// it decides, before any loader is registered, whether TypeScript needs one.
import fs from 'node:fs';
import path from 'node:path';

/** True when `root`/dist was built and no file under `root`/src changed after it. */
export function buildIsCurrent(root) {
  let built;
  try {
    built = fs.statSync(path.join(root, 'dist', '.build-stamp')).mtimeMs;
  } catch {
    return false;
  }
  const dirs = [path.join(root, 'src')];
  while (dirs.length > 0) {
    const dir = dirs.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) dirs.push(file);
      else if (fs.statSync(file).mtimeMs > built) return false;
    }
  }
  return true;
}
