import "leaflet/dist/leaflet.css";
import "./styles.css";
import { render } from "preact";
import { App } from "./app";
import { registerServiceWorker } from "./lib/service-worker";

const root = document.getElementById("app");
if (root) render(<App />, root);
registerServiceWorker();
