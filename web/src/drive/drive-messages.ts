/**
 * The Drive page's words, in English and Simplified Chinese, kept beside the page so that they
 * load with its chunk rather than with the first view. Placeholders are `{name}`.
 */
import { useTextTable } from "../i18n/text-table";

const en = {
  title: "Drive",
  intro:
    "Mount your phone in the car, tap Start and drive: the phone feels potholes through its motion sensor and GPS, and the city learns where they are without anyone typing a report.",
  sends:
    "It sends only what it felt (the kind of bump, where and when, the car's speed and heading then) and the road cells it drove through, unordered and untimed, with this phone's random device number; never the GPS track, and no account is needed.",
  keepTrace: "Keep the raw trace (for research: download the trip as a CSV file afterwards)",
  start: "Start",
  stop: "Stop",
  speed: "Speed",
  speedValue: "{kmh} km/h",
  noSpeed: "waiting for GPS",
  // Browsers often give a first fix (and some phones every fix) without speed.
  speedUnknown: "— (located; speed not known yet)",
  time: "Driving time",
  found: "Bumps found",
  foundValue: "{count} (potholes: {potholes})",
  speedLost: "— (no GPS)",
  noFix:
    "No GPS position yet: bumps felt now cannot be placed on a road. Keep the phone where it can see the sky.",
  fixLost:
    "The GPS signal is lost: bumps felt now cannot be placed on a road until it is back (a tunnel, a covered car park?).",
  coarseFix:
    "Your position is known only roughly (to within about {metres} m): bumps felt now are placed that roughly, or not at all, and cannot be matched to a road. Allow this site your precise location (not the approximate one) and keep the phone where it can see the sky.",
  neverPlaced:
    "Nothing felt on the last drive could be placed on a road: your position was never known closely enough. Allow this site your precise location before the next drive.",
  screenMayLock:
    "The browser would not keep the screen on: if the phone locks, the drive stops being felt. Keep the screen on in the phone's settings while driving.",
  summary: "Last drive — time: {time}, bumps found: {count} (potholes: {potholes})",
  unmeasuredAll:
    "Last drive — time: {time}: the road could not be measured, as the car's speed was never known.",
  unmeasuredMost:
    "Last drive — time: {time}: the road could not be measured for most of it, as the car's speed was not known; bumps found where it was: {count} (potholes: {potholes}).",
  whyCoarse:
    "Your position was known only roughly (from Wi-Fi or cell towers rather than GPS), and no speed can be told from it. Allow this site your precise location and keep the phone where it can see the sky.",
  whyNoSpeed: "Too few GPS positions came to tell the speed. Keep the phone where it can see the sky.",
  cutShort:
    "The last drive stopped when the page was left or reloaded: what it felt until then is kept and sent. Tap Start to go on.",
  noMotion:
    "This device has no motion sensor (a desktop computer?), so it cannot feel the road. Open this page on a phone.",
  motionDenied:
    "Access to the motion sensor was refused, so the road cannot be felt. Allow it and start again.",
  noGravity:
    "This browser gives the phone's motion without gravity, so the detector cannot tell up from down and cannot feel the road. Try another browser on this phone.",
  locationDenied:
    "Access to your location was refused; without it, what is felt cannot be placed on a road. Allow it in the browser's settings and start again.",
  otherTab:
    "A drive is already running in another tab of this browser: drive from that tab (two would send each bump twice), or stop it there and drive here.",
  driveHere: "Drive here instead",
  drivenElsewhere:
    "This drive stopped: it goes on in another tab of this browser. What it felt until then is kept and sent.",
  uploads: "Uploads",
  // Counts stand after a label, so one reads as well as many ("events: 1").
  waiting: "Waiting to be sent — events: {events}, batches: {batches}",
  notSealed: "Being put into batches — events: {events}",
  sent: "Sent — events: {events}, batches: {batches}",
  counted: "Counted by the server — events: {events}",
  notCounted:
    "Not counted by the server — events: {events}. It counts only bumps felt inside the city's service area, in the last 90 days and with a precise position: these were outside that area (a drive in another city?), too old, or felt without a position or with one known only roughly.",
  rejected: "Batches refused by the server: {batches}",
  refusedWhy: "The server's reason for the latest: “{message}”",
  refusedWhyField: "The server's reason for the latest: “{message}” (at {field})",
  offline: "Offline: they will be sent when the network is back, even after a reload.",
  limited:
    "The server asked this network to wait (many uploads from it): they will be sent from {at}, nothing is lost.",
  download: "Download the raw trace (CSV)",
} as const;

export type DriveKey = keyof typeof en;

const zh: Record<DriveKey, string> = {
  title: "驾驶模式",
  intro:
    "把手机固定在车上，点“开始”然后驾驶：手机通过运动传感器和 GPS 感知坑洼，无需任何人填写报告，城市就能知道它们在哪里。",
  sends:
    "本页面只上传检测到的颠簸（类型、地点、时间，以及当时的车速和方向）和经过的路段（不含顺序和时间），并附上本机的随机设备编号；从不上传 GPS 轨迹，也不需要账户。",
  keepTrace: "保留原始记录（供研究用：行程结束后下载为 CSV 文件）",
  start: "开始",
  stop: "停止",
  speed: "速度",
  speedValue: "{kmh} 公里/小时",
  noSpeed: "等待 GPS",
  speedUnknown: "—（已定位，速度暂不可知）",
  time: "行驶时长",
  found: "发现的颠簸",
  foundValue: "{count} 处（其中坑洼 {potholes} 处）",
  speedLost: "—（无 GPS 信号）",
  noFix: "尚未获得 GPS 位置：此时感知到的颠簸无法对应到道路上。请把手机放在能看到天空的位置。",
  fixLost: "GPS 信号丢失：在信号恢复之前，感知到的颠簸无法对应到道路上（隧道或室内停车场？）。",
  coarseFix:
    "当前位置只能粗略确定（误差约 {metres} 米）：此时感知到的颠簸只能粗略定位或无法定位，无法对应到道路上。请允许本网站使用精确位置（而非大致位置），并把手机放在能看到天空的位置。",
  neverPlaced:
    "上次驾驶感知到的颠簸都无法对应到道路上：位置始终不够精确。下次驾驶前请允许本网站使用精确位置。",
  screenMayLock: "浏览器未能保持屏幕常亮：手机锁屏后将不再感知路面。驾驶时请在手机设置中保持屏幕常亮。",
  summary: "上次驾驶：用时 {time}，发现颠簸 {count} 处（其中坑洼 {potholes} 处）",
  unmeasuredAll: "上次驾驶：用时 {time}，无法测量路面：车速始终未知。",
  unmeasuredMost:
    "上次驾驶：用时 {time}，大部分路段无法测量路面：车速未知；在能测量的路段发现颠簸 {count} 处（其中坑洼 {potholes} 处）。",
  whyCoarse:
    "位置只能粗略确定（来自 Wi-Fi 或基站而非 GPS），无法据此得出车速。请允许本网站使用精确位置，并把手机放在能看到天空的位置。",
  whyNoSpeed: "收到的 GPS 位置太少，无法得出车速。请把手机放在能看到天空的位置。",
  cutShort: "上次驾驶在离开或刷新页面时停止：此前感知到的内容已保存并会发送。点击“开始”继续。",
  noMotion: "此设备没有运动传感器（可能是台式电脑？），无法感知路面。请在手机上打开此页面。",
  motionDenied: "运动传感器的访问被拒绝，无法感知路面。请允许访问后重新开始。",
  noGravity:
    "此浏览器提供的手机运动数据不含重力，检测器无法分辨上下方向，因而无法感知路面。请在这部手机上换用其他浏览器。",
  locationDenied:
    "位置访问被拒绝；没有位置，感知到的颠簸无法对应到道路上。请在浏览器设置中允许定位后重新开始。",
  otherTab:
    "本浏览器的另一个标签页正在进行驾驶：请在那个标签页中继续（两个标签页会把每处颠簸发送两次），或在那里停止、改在这里驾驶。",
  driveHere: "改在这里驾驶",
  drivenElsewhere: "本次驾驶已停止：驾驶改在本浏览器的另一个标签页中进行。此前感知到的内容已保存并会发送。",
  uploads: "上传",
  waiting: "待上传：{events} 条颠簸记录（{batches} 批）",
  notSealed: "正在整理：{events} 条颠簸记录",
  sent: "已上传：{events} 条颠簸记录（{batches} 批）",
  counted: "服务器已计入：{events} 条颠簸记录",
  notCounted:
    "服务器未计入：{events} 条颠簸记录。服务器只计入在本市服务范围内、90 天以内且位置精确的颠簸：这些记录在服务范围之外（在其他城市驾驶？）、时间太久，或感知时没有位置或位置只是粗略的。",
  rejected: "被服务器拒绝：{batches} 批",
  refusedWhy: "服务器拒绝最近一批的原因：“{message}”",
  refusedWhyField: "服务器拒绝最近一批的原因：“{message}”（位置：{field}）",
  offline: "当前离线：网络恢复后会自动发送，重新加载页面也不会丢失。",
  limited: "服务器要求此网络稍候（来自该网络的上传较多）：将从 {at} 起发送，不会丢失。",
  download: "下载原始记录（CSV）",
};

/** Both tables; exported for the test that every count reads right with one. */
export const TABLES = { en, "zh-CN": zh } as const;

/** The page's `t`, in the app's current language. */
export const useDriveText = () => useTextTable(TABLES);
