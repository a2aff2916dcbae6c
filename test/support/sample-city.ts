/** A test app on the demo city with `clusters` synthetic clusters (`npm run sample`'s fill) added. */
import { loadDemoCity } from "../../src/seed/demo-city";
import { addSampleClusters } from "../../src/seed/sample-clusters";
import { makeTestApp } from "./app";

export async function sampleCity(clusters: number) {
  const t = await makeTestApp();
  await loadDemoCity(t.db, t.clock());
  await addSampleClusters(t.db, clusters, t.clock());
  return t;
}
