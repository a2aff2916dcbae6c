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
        "A report is a place, a kind of problem, your words, your answers to the questions asked about that kind of problem, and photos. They are public, with the time you sent it: on the map, on the problem's page, in its feeds and through the city's open API (Open311), so that anyone can follow how the city handles it. The open data files (CSV, GeoJSON) hold places, statuses and counts, not words or photos. When you rate how a problem was fixed, the stars are public; what you write with them is not.",
        "Phone numbers, e-mail addresses and messenger ids in your words are shown masked (***). Photos are rebuilt without their metadata (no camera position or time). Anyone may flag a report or photo that shows personal details, and a moderator may hide it.",
        "The city's staff read what you sent as you sent it: the department handling the problem, and the city's administrators, moderators and hotline.",
      ],
    },
    {
      heading: "Who you are",
      paragraphs: [
        "You need no account. To count each resident once per problem and to hold back abuse, each report keeps two codes made with a secret of the city's: one from what identifies you (the credential this site gives your browser, or the e-mail or phone an app sent), one from your network (a block of addresses, such as 1.2.3.x). Without that secret they cannot be turned back into you. Your IP address is never kept, shown, exported or written in the logs, which name a network only by a short code.",
      ],
    },
    {
      heading: "How to reach you",
      paragraphs: [
        "This site's report form asks for no contact details. An app using the city's API may send your name, e-mail or phone, and an id of its own for your phone, with a report. They are kept encrypted and are not shown to the departments or the public. The e-mail is used to ask you, once the problem is marked fixed, whether it really is; that message has a link to stop being asked, which deletes the address. The e-mail or phone also make your reports count as one person's.",
        "With your report's receipt, the app can show you what is kept, correct it or delete it; deleting it also ends the updates you asked for with the report.",
        "If you report by phone to the city's hotline, the call-taker records your name and number with the report, encrypted, and the hotline can find the reports made with your number when you call again.",
      ],
    },
    {
      heading: "Following a problem",
      paragraphs: [
        "To hear how a problem goes, you may give an e-mail address or allow notifications. Nothing is sent before you confirm; an address nobody confirms is deleted 30 days after it was last asked for, and every message has a link to stop. E-mail goes through the city's mail service, and notifications through your browser's own push service.",
      ],
    },
    {
      heading: "Driving",
      paragraphs: [
        "The Drive page sends each bump the phone felt, with its place, time, speed and direction, and the small squares of road (about 10 m) it drove through, without their order or times: together they show which streets it drove that day. Your phone's id is turned into a code as it arrives and not kept: each bump is counted at its spot under a code made for that part of the city, so your phone's bumps in different places cannot be linked. The squares are counted by network under a code that changes every day, so without the city's secret they cannot be matched to a network or to other days.",
      ],
    },
    {
      heading: "The map",
      paragraphs: [
        "The map's pictures come from a map server (OpenStreetMap's, unless the city sets its own), which sees your IP address and the area you look at.",
      ],
    },
    {
      heading: "On this device",
      paragraphs: [
        "This browser keeps the credential and the Drive page's id this site gave it, the receipts of your reports, a report being written with its photos, reports waiting for a connection, a drive's bumps until they are sent (then only how many), the problems you follow (not the address), your language, and pages this site showed, to open them offline. Clearing this site's data in the browser deletes them all; with the receipts go the ways above to rate those reports, say a problem is still there, or see, correct or delete your contact details.",
      ],
    },
    {
      heading: "How long",
      paragraphs: [
        "Photos no report used are deleted after 24 hours, and follows nobody confirmed after 30 days. Reports, photos, ratings (with what was written with them), the problems' timelines, the codes above and the road's counts are the city's record of its work and are kept. Contact details are kept until deleted.",
      ],
    },
    {
      heading: "Who is responsible",
      paragraphs: [
        "The city running this service decides what it keeps and is responsible for it. For anything this page does not answer, or to exercise your rights over what it keeps about you, ask the city's hotline.",
      ],
    },
  ],
  "zh-CN": [
    {
      heading: "您提交的内容，以及哪些会公开",
      paragraphs: [
        "一份报告包括位置、问题类别、您的描述、对该类问题所提问题的回答以及照片。这些内容连同提交时间都是公开的：显示在地图上、问题页面上、问题的订阅源中，并可通过市里的开放接口（Open311）获取，任何人都可以据此了解市里的处理情况。开放数据文件（CSV、GeoJSON）只包含位置、状态和数量，不含描述和照片。您对处理结果的评价星级是公开的，随评价写下的话不公开。",
        "描述中的电话号码、电子邮件地址和即时通信账号会以星号（***）遮挡显示。照片会去除元数据后重新生成（不含拍摄位置和时间）。任何人都可以举报含有个人信息的报告或照片，审核员可以将其隐藏。",
        "市里的工作人员可以看到您提交的原始内容：承办该问题的部门，以及市里的管理员、审核员和热线人员。",
      ],
    },
    {
      heading: "关于您的身份",
      paragraphs: [
        "无需注册账号。为使每位居民对同一问题只计一次，并防止滥用，每份报告会保存两个用市里的保密密钥生成的识别码：一个来自识别您的信息（本网站发给您浏览器的凭据，或应用提交的电子邮件或电话），一个来自您的网络（一段地址，如 1.2.3.x）。没有该密钥，无法由识别码还原出您的信息。您的 IP 地址绝不会被保存、显示、导出或写入日志；日志中只以简短的识别码指代网络。",
      ],
    },
    {
      heading: "联系方式",
      paragraphs: [
        "本网站的报告表单不收集任何联系方式。使用市里开放接口的应用可能随报告提交您的姓名、电子邮件或电话，以及该应用为您手机设定的标识。这些信息经加密保存，不向承办部门或公众显示。电子邮件用于在问题标记为已解决后询问您是否真正解决；该邮件附有停止询问的链接，点击即删除该地址。电子邮件或电话也用于把您的多份报告算作同一人提交。",
        "凭报告的回执，应用可以向您显示所保存的内容，并加以更正或删除；删除时，您随报告申请的进展通知也一并取消。",
        "如果您通过市里的热线电话报告，接线员会将您的姓名和电话随报告加密记录；您再次来电时，热线可以查到用您的号码提交的报告。",
      ],
    },
    {
      heading: "关注问题",
      paragraphs: [
        "如需了解问题进展，您可以留下电子邮件地址或允许通知。在您确认之前不会发送任何内容；无人确认的地址会在最后一次申请后 30 天删除，每条消息都附有取消关注的链接。电子邮件经市里的邮件服务发送，通知经您浏览器自带的推送服务发送。",
      ],
    },
    {
      heading: "驾驶模式",
      paragraphs: [
        "驾驶模式页面会发送手机检测到的每次颠簸及其位置、时间、车速和方向，以及驶过的小块路段（约 10 米见方），但不含经过的先后顺序和时间：合在一起可以看出当天驶过了哪些街道。手机的标识在到达时即转换为识别码，不予保存：每次颠簸按该片区域专用的识别码计入所在地点，因此您的手机在不同地点的颠簸无法被关联起来。路段按网络计数，所用识别码每天更换，没有市里的保密密钥，就无法将其与某个网络或其他日期对应起来。",
      ],
    },
    {
      heading: "地图",
      paragraphs: [
        "地图图片来自地图服务器（除非市里另行设置，否则为 OpenStreetMap 的服务器），该服务器会看到您的 IP 地址和您查看的区域。",
      ],
    },
    {
      heading: "保存在本设备上的内容",
      paragraphs: [
        "本浏览器会保存本网站发给它的凭据和驾驶模式的标识、您的报告回执、正在填写的报告及其照片、等待网络的报告、驾驶时检测到的颠簸（发送前；发送后只保留数量）、您关注的问题（不含邮件地址）、您选择的语言，以及本网站显示过的页面（以便离线打开）。在浏览器中清除本网站的数据即可全部删除；回执删除后，您也就无法再通过上述方式评价这些报告、反映问题仍然存在，或查看、更正、删除您的联系方式。",
      ],
    },
    {
      heading: "保存期限",
      paragraphs: [
        "未被任何报告使用的照片在 24 小时后删除，无人确认的关注在 30 天后删除。报告、照片、评价（连同随评价写下的话）、问题的处理记录、上述识别码以及路段计数是市里的工作记录，会长期保存。联系方式保存至被删除为止。",
      ],
    },
    {
      heading: "责任方",
      paragraphs: [
        "运营本服务的市政府决定保存哪些信息，并对此负责。本页未能解答的问题，或需要行使您对所保存个人信息的权利，请联系市里的热线。",
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
