import manifest from '../package.json' with { type: 'json' };

/** The filegraph release every service reports in health and logs. */
export const version: string = manifest.version;
