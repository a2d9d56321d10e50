/** Name and version sent as Komerza's required User-Agent (`<app name>/<version>`). A test keeps them equal to package.json. */
export const APP_NAME = 'komerza-customer-lookup';
export const APP_VERSION = '0.1.0';
export const USER_AGENT = `${APP_NAME}/${APP_VERSION} (+Slack customer lookup)`;
