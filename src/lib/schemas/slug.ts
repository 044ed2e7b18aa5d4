// Event slugs: lower-case words joined by hyphens. Kept apart so the route matcher stays tiny.
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
