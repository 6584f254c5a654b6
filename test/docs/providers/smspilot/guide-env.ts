/** The API key the guide's config reads from the environment; imported before the guide's module. */
export const GUIDE_API_KEY = 'guide-api-key';
process.env.SMSPILOT_API_KEY = GUIDE_API_KEY;
