/**
 * One thread of `upload-workers.ts`: prepares the sensor upload bodies it is sent, and says so
 * once it is ready to.
 */
import { parentPort } from "node:worker_threads";
import { prepareSensorBody, type SensorBody } from "../routes/sensor-body";
import type { UploadPrep } from "../store/sensor-uploads";

const port = parentPort;
port?.on("message", ({ id, text, prep }: { id: number; text: string; prep: UploadPrep }) => {
  let body: SensorBody | { failed: string };
  try {
    body = prepareSensorBody(text, prep);
  } catch (e) {
    // A fault of the code, not a refusal of the body (those are answers): the upload fails.
    body = { failed: String(e) };
  }
  port.postMessage({ id, body });
});
port?.postMessage("ready");
