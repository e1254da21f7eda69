/** Types of bin/bundle.js (plain JavaScript: bin/wavegraph.js loads it before TypeScript can load). */
export function bundleScript(entry: string): string;
export function bundleModule(entry: string): Promise<string>;
export function scriptCachePath(entry: string): string;
