/**
 * The public addresses every outside reader is sent to (mails, webhooks, Open311, feeds), built
 * one way from `PUBLIC_URL`, whatever slashes it ends with.
 */

/** The site's address without trailing slashes, to put a path after. */
export const siteOf = (publicUrl: string) => publicUrl.replace(/\/+$/, "");

/** The public page of a cluster, as the web app routes it. */
export const clusterPageUrl = (publicUrl: string, clusterId: string) => `${siteOf(publicUrl)}/c/${clusterId}`;

/** A photo as the API serves it. */
export const photoUrl = (publicUrl: string, photoId: string) => `${siteOf(publicUrl)}/api/photos/${photoId}`;
