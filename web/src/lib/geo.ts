/** Metres between two points (haversine; plenty for "how far is that pothole"). */
export function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** `minLon,minLat,maxLon,maxLat` around a point, `metres` each way. */
export function bboxAround(p: { lat: number; lon: number }, metres: number): string {
  const dLat = metres / 111_195;
  const dLon = dLat / Math.max(Math.cos((p.lat * Math.PI) / 180), 1e-6);
  return [p.lon - dLon, p.lat - dLat, p.lon + dLon, p.lat + dLat].map((n) => n.toFixed(6)).join(",");
}
