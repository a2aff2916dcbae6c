/**
 * The console's fields by their name in a refusal's `field`, so a Chinese console says which one
 * was refused in its own words ("“生成工单所需的居民人数”一项填写有误"), as its labels say it. The
 * resident's pages have their own (`FIELD_WORDS` in `lib/failure.ts`); here "attributes" are a
 * service's questions, not a resident's answers.
 */
import type { AdminKey, AdminTranslate } from "./text";

const LABELS = new Map<string, AdminKey>(
  Object.entries({
    code: "adminCode",
    "name.en": "adminNameEn",
    "name.zh": "adminNameZh",
    name: "adminStaffName",
    group: "adminGroup",
    description: "adminDescription",
    threshold: "adminThreshold",
    radiusM: "adminRadius",
    windowDays: "adminWindow",
    ackHours: "adminAckHours",
    resolveHours: "adminResolveHours",
    askAfterDays: "adminAskAfterDays",
    keywords: "adminKeywords",
    active: "adminActive",
    attributes: "adminAttributes",
    sensor: "adminSensor",
    "sensor.kinds": "adminSensorKinds",
    "sensor.minDevices": "adminSensorDevices",
    "sensor.minHitShare": "adminSensorShare",
    "sensor.radiusM": "adminSensorRadius",
    services: "adminServicesHandled",
    population: "adminPopulation",
    webhookUrl: "adminWebhook",
    area: "adminArea",
    dispatch: "adminDispatch",
    "dispatch.to": "adminMailTo",
    "dispatch.endpoint": "adminOpen311Endpoint",
    "dispatch.apiKey": "adminOpen311ApiKey",
    "dispatch.jurisdictionId": "adminOpen311Jurisdiction",
    "dispatch.serviceCodes": "adminOpen311Codes",
    "dispatch.replyTo": "adminMailReplyTo",
    email: "adminEmail",
    password: "adminPassword",
    role: "adminStaffRole",
    department: "adminStaffDepartment",
    label: "adminTokenLabelField",
    origins: "adminApiKeyOrigins",
  } satisfies Record<string, AdminKey>),
);

/** A question's fields by their name in `attributes.N.…`, as the questions editor labels them. */
const QUESTION_LABELS = new Map<string, AdminKey>(
  Object.entries({
    code: "adminQuestionCode",
    datatype: "adminQuestionType",
    description: "adminQuestionText",
    descriptionZh: "adminQuestionTextZh",
    datatypeDescription: "adminQuestionHint",
    datatypeDescriptionZh: "adminQuestionHintZh",
    min: "adminQuestionMin",
    max: "adminQuestionMax",
    values: "adminChoices",
  } satisfies Record<string, AdminKey>),
);

/** The label of the field a refusal names (its longest known leading part), if the console has one. */
export const adminFieldName =
  (ta: AdminTranslate) =>
  (field: string): string | undefined => {
    const parts = field.split(".");
    // `attributes.0.description`: the first question's English words, as the editor numbers them.
    const [head, index, own] = parts;
    if (head === "attributes" && index !== undefined && /^\d+$/.test(index)) {
      const n = Number(index) + 1;
      const label = own ? QUESTION_LABELS.get(own) : undefined;
      return label ? ta("adminQuestionField", { n, field: ta(label) }) : ta("adminQuestionAt", { n });
    }
    for (let n = parts.length; n > 0; n--) {
      const key = LABELS.get(parts.slice(0, n).join("."));
      if (key) return ta(key);
    }
    return undefined;
  };
