/**
 * The call-taker desk's words, in English and Simplified Chinese, loaded with the desk's chunk.
 * Placeholders are `{name}`.
 */
import { useMemo } from "preact/hooks";
import { useI18n } from "../i18n/i18n";

const en = {
  title: "Hotline desk",
  intro: "File a report for a caller in under a minute, and read them the answer.",
  signedInAs: "Signed in as {name}",
  notDesk: "This account is not a call-taker's. Ask an administrator.",
  newCall: "New call",
  place: "Where",
  placeSearch: "Type a place: a road, landmark or neighbourhood (Chinese, English or pinyin)",
  placeHelp:
    "Find the place the caller names (a district and a road or landmark), click the map, or type the coordinates.",
  mapLabel: "Map: click to place the problem, or press Enter to place it at the centre",
  pin: "The problem's place",
  latitude: "Latitude",
  longitude: "Longitude",
  placed: "Placed at {lat}, {lon}",
  noPlaceNear: "No place the city knows is near it: check the coordinates with the caller.",
  service: "Kind of problem",
  choose: "Choose…",
  description: "What the caller says",
  callerName: "Caller's name",
  callerPhone: "Caller's phone",
  callerHelp: "Kept private, for call-backs only.",
  file: "File the report",
  needPlace: "Place the problem on the map or type its coordinates.",
  needWords: "Write down what the caller says about the problem.",
  needCallerName: "Type the caller's name.",
  needCallerPhone: "Type the caller's phone number.",
  readOutTitle: "Read this to the caller",
  filedAt: "Filed as {service} ({place}).",
  joinedNone: "Yours is the first report of this problem.",
  joined: "It joins {n} earlier reports.",
  joinedOne: "It joins 1 earlier report.",
  callerBefore: "This caller reported it before, on {time}: this call is added to that report's problem.",
  othersToo: "{n} other residents have reported it too.",
  othersTooOne: "1 other resident has reported it too.",
  callerLimit: "This caller has filed too many reports for now; file it again after {time}.",
  callerBlocked:
    "The moderators blocked this caller's reports; nothing was filed. An admin can lift the block (Administration, Queues).",
  approximate:
    "That is the middle of {place}: ask the caller where along it, then click the map at that spot.",
  handles: "{department} must acknowledge it by {ack} and fix it by {resolve}.",
  handlesAcknowledged: "{department} has acknowledged it and must fix it by {resolve}.",
  handlesLateAck:
    "{department} should have acknowledged it by {ack} and is late; it must fix it by {resolve}.",
  handlesLateBoth: "{department} is late: it should have acknowledged it by {ack} and fixed it by {resolve}.",
  handlesAcknowledgedLate:
    "{department} has acknowledged it and is late: it should have fixed it by {resolve}.",
  filedNoPlace: "Filed as {service}, at a place the map names nothing near: check the place with the caller.",
  handlesStatus: "{department} has it; its work order stands at: {status}.",
  waiting:
    "It goes to {department} once {n} more residents report it; the department then has {ack} to acknowledge it.",
  waitingOne:
    "It goes to {department} once 1 more resident reports it; the department then has {ack} to acknowledge it.",
  waitingNoDept: "It is sent on once {n} more residents report it.",
  waitingNoDeptOne: "It is sent on once 1 more resident reports it.",
  noDepartment: "No department covers this place yet; the city's administrators will route it.",
  lookupTitle: "A caller's earlier reports",
  lookup: "Look up",
  lookupPhone: "Phone number to look up",
  none: "No reports under this number.",
  waitingStatus: "waiting for more reports",
  stillThere: "The caller says it is still there",
  stillThereUntil: "It may be reopened until {time}.",
  hiddenWords: "Its words are hidden from the public by the moderators.",
  stillThereRefused:
    "It cannot be reopened now (said already, or fixed over 30 days ago): file a new report instead.",
  reopened: "Reopened: it is back with {department}. Tell the caller it must be dealt with again.",
  erase: "Delete the caller's contact details",
  eraseHelp:
    "Only when the caller asks: the name, number and any other contact kept with the reports under this number are deleted. The reports stay and are still dealt with; no one can call the caller back about them.",
  eraseConfirm: "Delete them now",
  eraseCancel: "Keep them",
  erased:
    "Deleted from {n} reports. Tell the caller the city no longer keeps how to reach them about these reports.",
  erasedOne: "Deleted from 1 report. Tell the caller the city no longer keeps how to reach them about it.",
  erasedNone: "Nothing was kept to delete.",
} as const;

export type DeskKey = keyof typeof en;

const zh: Record<DeskKey, string> = {
  title: "热线受理台",
  intro: "一分钟内为来电者登记问题，并把答复读给对方听。",
  signedInAs: "当前登录：{name}",
  notDesk: "此账号不是话务员账号，请联系管理员。",
  newCall: "新来电",
  place: "地点",
  placeSearch: "输入地名：道路、地标或街区（中文、英文或拼音）",
  placeHelp: "按来电者说的地名查找（区名加道路或地标），或在地图上点击，或输入坐标。",
  mapLabel: "地图：点击以标出问题位置，或按回车键标在地图中心",
  pin: "问题位置",
  latitude: "纬度",
  longitude: "经度",
  placed: "已标在 {lat}，{lon}",
  noPlaceNear: "附近没有本市已知的地名：请与来电者核对坐标。",
  service: "问题类型",
  choose: "请选择…",
  description: "来电者的描述",
  callerName: "来电者姓名",
  callerPhone: "来电者电话",
  callerHelp: "仅用于回访，不会公开。",
  file: "登记",
  needPlace: "请在地图上标出问题位置，或输入坐标。",
  needWords: "请填写来电者对问题的描述。",
  needCallerName: "请输入来电者姓名。",
  needCallerPhone: "请输入来电者电话号码。",
  readOutTitle: "请读给来电者",
  filedAt: "已登记：{service}（{place}）。",
  joinedNone: "这是该问题的第一份报告。",
  joined: "已与之前的 {n} 份报告合并。",
  joinedOne: "已与之前的 1 份报告合并。",
  callerBefore: "该来电者已于 {time} 反映过此问题：本次来电并入该问题。",
  othersToo: "另有 {n} 位居民也反映了此问题。",
  othersTooOne: "另有 1 位居民也反映了此问题。",
  callerLimit: "该来电者目前登记的报告过多，请在 {time} 之后再登记。",
  callerBlocked: "审核人员已屏蔽该来电者的报告，本次未登记。管理员可在“系统管理 › 待办队列”中解除屏蔽。",
  approximate: "这是{place}的中点：请询问来电者具体位置，再在地图上点击该处。",
  handles: "{department}须在 {ack} 前受理，并在 {resolve} 前办结。",
  handlesAcknowledged: "{department}已受理，须在 {resolve} 前办结。",
  handlesLateAck: "{department}应在 {ack} 前受理，已逾期；须在 {resolve} 前办结。",
  handlesLateBoth: "{department}已逾期：应在 {ack} 前受理，并在 {resolve} 前办结。",
  handlesAcknowledgedLate: "{department}已受理，但已逾期：应在 {resolve} 前办结。",
  filedNoPlace: "已登记：{service}，该位置附近没有已知地名，请与来电者核对位置。",
  handlesStatus: "{department}负责处理；工单当前状态：{status}。",
  waiting: "再有 {n} 位居民反映后将转交{department}；之后须在 {ack}内受理。",
  waitingOne: "再有 1 位居民反映后将转交{department}；之后须在 {ack}内受理。",
  waitingNoDept: "再有 {n} 位居民反映后将转交处理。",
  waitingNoDeptOne: "再有 1 位居民反映后将转交处理。",
  noDepartment: "该地点暂无负责部门，将由管理员分派。",
  lookupTitle: "来电者以往的报告",
  lookup: "查询",
  lookupPhone: "要查询的电话号码",
  none: "该号码下没有报告。",
  waitingStatus: "等待更多反映",
  stillThere: "来电者称问题仍然存在",
  stillThereUntil: "{time}前可重新打开。",
  hiddenWords: "审核人员已对公众隐藏其文字。",
  stillThereRefused: "现在无法重新打开（已反映过，或办结已超过 30 天）：请重新登记一条报告。",
  reopened: "已重新打开，交回{department}处理。请告知来电者，该问题将重新处理。",
  erase: "删除来电者的联系方式",
  eraseHelp:
    "仅在来电者要求时使用：删除该号码下各报告所保存的姓名、电话号码及其他联系方式。报告仍然保留并继续处理，但无法再就这些报告回访来电者。",
  eraseConfirm: "立即删除",
  eraseCancel: "保留",
  erased: "已从 {n} 份报告中删除。请告知来电者，本市不再保存就这些报告联系其的方式。",
  erasedOne: "已从 1 份报告中删除。请告知来电者，本市不再保存就该报告联系其的方式。",
  erasedNone: "没有可删除的联系方式。",
};

const TABLES = { en, "zh-CN": zh } as const;

/** The desk's `t`, in the app's current language; a count of one takes the `…One` form. */
export function useDeskText() {
  const { lang } = useI18n();
  return useMemo(() => {
    const table: Record<string, string> = TABLES[lang];
    return (key: DeskKey, values?: Record<string, string | number>) =>
      ((values?.n === 1 ? table[`${key}One`] : undefined) ?? table[key] ?? key).replace(
        /\{(\w+)\}/g,
        (_, k: string) => (values && k in values ? String(values[k]) : `{${k}}`),
      );
  }, [lang]);
}

/** Both tables, for the test that every count has its singular. */
export const DESK_TEXT = TABLES;
