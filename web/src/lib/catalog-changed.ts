/** What the service worker tells open pages when the catalogue it refreshed differs from the kept one. */
export const CATALOG_CHANGED = "civicloop-catalog-changed";
