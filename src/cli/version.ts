// The tool's name, version and home as the reports state them, from the one manifest.
import manifest from '../../package.json';

export const TOOL_NAME = 'ampw';
export const TOOL_VERSION: string = manifest.version;
/** Where the project lives (the manifest's repository, without `.git`). */
export const TOOL_HOME: string = manifest.repository.url.replace(/\.git$/, '');
