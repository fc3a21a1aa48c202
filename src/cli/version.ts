// The tool's name and version as the reports state them, from the one manifest.
import manifest from '../../package.json';

export const TOOL_NAME = 'ampw';
export const TOOL_VERSION: string = manifest.version;
