export { checkConfig, type CheckConfigResult } from './check-config.js';
export { describeSettings, type SettingDescription, type SettingsChanges } from './describe.js';
export { SettingsError, type SettingsProblem } from './errors.js';
export { loadSecrets, SECRETS_FILE_NAME, type LoadedSecrets, type Secrets } from './secrets.js';
export { defaults, loadSettings, readSettings, updateSettings, type SettingsFileState, type SettingsUpdate } from './settings.js';
export { SettingsStore } from './store.js';
export type * from './types.js';
