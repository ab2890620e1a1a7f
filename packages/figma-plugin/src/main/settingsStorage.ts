export const SETTINGS_KEY = 'settings';
export const RUNNER_TOKEN_KEY = 'runnerToken';
export const IN_PAGE_SPEED_KEY = 'inPageSpeed';
