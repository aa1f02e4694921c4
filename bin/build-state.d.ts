/** True when `root`/dist was built and no file under `root`/src changed after it. */
export function buildIsCurrent(root: string): boolean;
