export const SETTINGS_KEY = 'settings';
export const RUNNER_TOKEN_KEY = 'runnerToken';
