import { useEffect } from "preact/hooks";
import { useI18n } from "../i18n/i18n";
import type { Lang } from "../i18n/messages";
import { Link } from "../router";

/** One part of the notice: a heading and its paragraphs. */
interface Part {
  heading: string;
  paragraphs: string[];
}

/**
 * What CivicLoop keeps about a resident and why, told before they send anything (PIPL art. 17):
 * each sentence says what the code does (README, "Reporter integrity", "Photos", "Follows",
 * "Street Bump mode"), so change it with them.
 */
const NOTICE: Record<Lang, Part[]> = {
  en: [
    {
      heading: "What you send, and what is public",
      paragraphs: [
        "A report is a place, a kind of problem, your words, your answers to the service's questions and your photos. They are public: on the map, on the problem's page and in the open data, so that anyone can follow how the city handles it. Phone numbers and e-mail addresses written in your words are shown masked (***). Photos are rebuilt without their metadata (no camera position or time). A moderator may hide a report or a photo.",
        "The department handling the problem reads everything you sent, to do the work.",
      ],
    },
    {
      heading: "Who you are",
      paragraphs: [
        "You need no account. To count each resident once per problem and to limit abuse, the service keeps a key made from what identifies your report: this browser's credential (a random one the service gives it), else the e-mail or phone an app sent, else your network. The key is a hash under a secret of the city's and cannot be turned back into any of them. Your IP address and your device's id are never shown, exported, put in a log line or drawn on a map.",
      ],
    },
    {
      heading: "How to reach you",
      paragraphs: [
        "This site's report form asks for no contact details. An app using the city's API may send your name, e-mail or phone with a report: they are kept encrypted, shown to the department handling the problem, and used to ask you once it is fixed whether it really is. That mail carries links to answer, to stop being asked and to delete your contact details; with the report's receipt, the app can also show you what is kept, put it right or delete it. The report itself stays on the problem, counted as before.",
      ],
    },
    {
      heading: "Following a problem",
      paragraphs: [
        "To hear how a problem goes, you may give an e-mail address or allow notifications. Nothing is sent before you confirm; an address nobody confirms is deleted after 30 days, and every message has a link to stop.",
      ],
    },
    {
      heading: "Driving (Street Bump mode)",
      paragraphs: [
        "The Drive page sends the bumps the phone felt, with their place and time, and the small squares of road it drove through, never the path. Your device's id is hashed as it arrives; the squares are counted by network, under a key that changes every day, so no drive can be put back together.",
      ],
    },
    {
      heading: "On this device",
      paragraphs: [
        "This browser keeps the receipts of your reports (to follow, rate or say a problem is still there), a report being written, reports and bumps felt on a drive waiting for a connection, the problems you follow and the last map it showed. They stay on the device; clearing this site's data in the browser deletes them, and with the receipts your way to rate those reports.",
      ],
    },
    {
      heading: "How long",
      paragraphs: [
        "Photos no report used are deleted after 24 hours. Reports, photos and the problems' timelines are the city's public record of its work and are kept. Contact details are kept until you delete them.",
      ],
    },
  ],
  "zh-CN": [
    {
      heading: "您提交的内容，以及哪些会公开",
      paragraphs: [
        "一条反映包括位置、问题类别、您的描述、对该类别问题的回答和照片。这些内容是公开的：显示在地图上、问题页面上和开放数据中，任何人都可以跟进市里的处理情况。描述中写到的电话号码和电子邮件地址会以星号（***）遮挡显示。照片会去除元数据后重新生成（不含拍摄位置和时间）。管理员可以隐藏某条反映或某张照片。",
        "承办该问题的部门可以阅读您提交的全部内容，以便处理。",
      ],
    },
    {
      heading: "关于您的身份",
      paragraphs: [
        "无需注册账号。为使每位居民对同一问题只计一次，并防止滥用，系统会保存一个由识别您反映的信息生成的密钥：本浏览器的凭据（系统为其随机生成），否则为应用提交的电子邮件或电话，再否则为您的网络。该密钥是用市里的保密密钥计算的哈希值，无法还原为上述任何信息。您的 IP 地址和设备标识绝不会被显示、导出、写入日志或标在地图上。",
      ],
    },
    {
      heading: "联系方式",
      paragraphs: [
        "本网站的反映表单不收集任何联系方式。使用市里 API 的应用可能随反映提交您的姓名、电子邮件或电话：这些信息经加密保存，仅向承办该问题的部门显示，并在问题标记为已解决后用于询问您是否真正解决。该邮件附有回答、停止询问和删除联系方式的链接；应用还可以凭反映的回执向您显示所保存的内容，并加以更正或删除。反映本身仍保留在该问题中，计数不变。",
      ],
    },
    {
      heading: "关注问题",
      paragraphs: [
        "如需了解问题进展，您可以留下电子邮件地址或允许通知。在您确认之前不会发送任何内容；无人确认的地址会在 30 天后删除，每条消息都附有取消关注的链接。",
      ],
    },
    {
      heading: "驾车（道路颠簸感知模式）",
      paragraphs: [
        "“驾车”页面会发送手机感到的颠簸及其位置和时间，以及驶过的小块路段，绝不发送行驶轨迹。设备标识在到达时即被哈希；路段按网络计数，所用密钥每天更换，因此任何一次行程都无法被还原。",
      ],
    },
    {
      heading: "保存在本设备上的内容",
      paragraphs: [
        "本浏览器会保存您的反映回执（用于跟进、评价或反映问题仍在）、正在填写的反映、等待网络的反映和驾车时感到的颠簸、您关注的问题以及上次显示的地图。这些内容只保存在本设备上；在浏览器中清除本网站的数据即可删除，同时也会失去凭回执评价这些反映的途径。",
      ],
    },
    {
      heading: "保存期限",
      paragraphs: [
        "未被任何反映使用的照片在 24 小时后删除。反映、照片和问题的处理记录是市里工作的公开记录，会长期保存。联系方式保存至您将其删除为止。",
      ],
    },
  ],
};

/** The privacy notice: what is kept, what is public, and what a resident can do about it. */
export function PrivacyPage() {
  const { t, lang } = useI18n();
  useEffect(() => {
    document.title = `${t("privacyTitle")} · ${t("appName")}`;
  }, [t]);
  return (
    <article class="page privacy">
      <h1>{t("privacyTitle")}</h1>
      {NOTICE[lang].map((part) => (
        <section key={part.heading}>
          <h2>{part.heading}</h2>
          {part.paragraphs.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </section>
      ))}
      <p>
        <Link href="/report">{t("navReport")}</Link>
      </p>
    </article>
  );
}
