/**
 * The catalogue's copies the intake reads (a service's settings, who takes it, every area): kept a
 * few seconds per handle, or per scope several handles share. A Worker makes a handle per request,
 * so without a shared scope each report read them again (five more round trips to the database).
 */
import { describe, expect, it } from "vitest";
import { createDb } from "../src/db/client";
import { serviceInput } from "../src/schemas/service";
import { forgetCatalog, serviceForIntake, shareCatalogCache } from "../src/store/catalog-cache";
import { createService } from "../src/store/services";
import { makeDatabase } from "./support/app";
import { POTHOLE_SERVICE } from "./support/fixtures";

describe("the catalogue's copies", () => {
  it("are shared by the handles given one scope, and forgotten for all of them by a write through one", async () => {
    const { client, db } = await makeDatabase();
    await createService(db, serviceInput.parse(POTHOLE_SERVICE), Date.now());
    const scope = {};
    // Two requests' handles on one database, as a Worker makes them.
    const first = shareCatalogCache(createDb(client), scope);
    const second = shareCatalogCache(createDb(client), scope);
    const alone = createDb(client);
    expect((await serviceForIntake(first, "pothole"))?.service.threshold).toBe(3);
    // Changed behind the copies' back (another isolate's write): the scope's copy is read, a
    // handle of its own reads the database.
    await client.execute("UPDATE services SET threshold = 5 WHERE code = 'pothole'");
    expect((await serviceForIntake(second, "pothole"))?.service.threshold).toBe(3);
    expect((await serviceForIntake(alone, "pothole"))?.service.threshold).toBe(5);
    // A write through one handle of the scope (here its forgetting) is seen through the other.
    forgetCatalog(first);
    expect((await serviceForIntake(second, "pothole"))?.service.threshold).toBe(5);
    client.close();
  });
});
