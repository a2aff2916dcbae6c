import { useEffect } from "preact/hooks";
import { fill } from "../../../src/domain/fill";
import { useCatalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import type { Lang } from "../i18n/messages";
import { Link } from "../router";

/** One part of the notice: a heading and its paragraphs. */
interface Part {
  heading: string;
  paragraphs: string[];
  /** Said instead where the city named who to ask (`PRIVACY_CONTACT`, as `{contact}`). */
  withContact?: string[];
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
        "A report is a place, a kind of problem, your words, your answers to the extra questions about that kind of problem, and photos. They are public, with the time you sent it: on the map, on the problem's page, in its feeds and through the city's open API (Open311), so that anyone can follow how the city handles it. So are your later words on the problem: a note that it is still there, or an update sent through an app. The open data files (CSV, GeoJSON) hold places, kinds of problem, departments, statuses, times and counts, not words or photos. When you rate how a problem was fixed, the stars are public; a comment you write with them is not.",
        "Phone numbers, WeChat ids and e-mail addresses in your words are shown to the public as ***. Photos are rebuilt without their extra information (no camera position or time). Anyone may flag a report or photo that shows personal details, and a moderator may hide it.",
        "The city's staff read your words unmasked: the department handling the problem (and the systems it receives its work in), and the city's administrators, moderators and hotline operators.",
      ],
    },
    {
      heading: "Who you are",
      paragraphs: [
        "You need no account. To count each resident once per problem and to hold back abuse, each report keeps two codes made with a secret of the city's: one from what identifies you (the credential this site gives your browser, or the e-mail, phone or app account an app sent; failing those, your network), and one from a network (a block of addresses, such as 1.2.3.x). Only the city, which holds the secret, can match a code to a phone number or an address it is given: its hotline finds the reports made with a caller's number so. Your IP address is never kept, shown, exported or written in the logs, which name a network only by a short code.",
      ],
    },
    {
      heading: "How to reach you",
      paragraphs: [
        "This site's report form asks for no contact details. An app using the city's API may send your name, e-mail or phone, and a number of its own for your phone, with a report. They are kept encrypted and are not shown to the departments or the public. The e-mail is used to ask you, once the problem is marked fixed, whether it really is; that message has a link to stop being asked, which deletes the address. A phone number sent this way can let the hotline find those reports, as a caller's number does.",
        "With your report's receipt, the app can show you what is kept, correct it or delete it; deleting it also ends the updates you asked for with the report.",
        "If you report by phone to the city's hotline, the operator keeps your name and number with the report, encrypted; the hotline can find the reports made with your number when you call again. Call and ask, and the operator deletes them from every report made with your number; the reports stay, and the code made from your number still counts them as yours.",
      ],
    },
    {
      heading: "Following a problem",
      paragraphs: [
        "To hear how a problem goes, you may give an e-mail address or turn on the browser's notifications. Nothing but the request to confirm is sent before you confirm; an address nobody confirms is deleted 30 days after it was last asked for. Every e-mail has a link to stop; notifications stop in your browser's settings for this site. E-mail goes through the city's mail service, and notifications through your browser's own push service.",
      ],
    },
    {
      heading: "Driving",
      paragraphs: [
        "The Drive page sends each bump the phone felt, with its place, time, speed and direction, and the small squares of road (about 10 m) it drove through, without their order or times. Together, the squares still show which streets it drove that day. The phone's random number is turned into a code as it arrives and not kept: each bump is counted at its spot under a code made for each square of about 50 m, with one for its network, so your phone's bumps in different places cannot be linked. The road squares are counted by network under a code that changes every day; without the city's secret they cannot be matched to a network or to other days.",
      ],
    },
    {
      heading: "The map",
      paragraphs: [
        "The map's background comes from a map server (OpenStreetMap's, unless the city sets its own), which learns your IP address and the area you look at.",
      ],
    },
    {
      heading: "On this device",
      paragraphs: [
        "This browser keeps: the credential this site gave it and a random number it made for the Drive page; your reports' receipts, with each report's problem, time and first words for \"My reports\"; a report being written, with its photos; reports not yet sent or refused, until you dismiss them; a drive's bumps and road squares until they are sent (then only how many), and any the server refused; the problems you follow (not the address); your language; and pages this site showed, to open them offline. Clearing this site's data in the browser deletes them all; with the receipts go the ways above to rate those reports or say a problem is still there.",
      ],
    },
    {
      heading: "How long",
      paragraphs: [
        "Photos no report used are deleted after 24 hours, and follows nobody confirmed after 30 days; a confirmed follow lasts until you stop it. Contact details, an app's or a caller's, are deleted {days} days after the problem is over, or sooner when you delete them: for a problem fixed or closed, from when you would be asked whether it really is; for one that never gathered enough reports to be sent on, from when it stopped taking them; a problem merged into another ends with that one. While a problem is still being worked on, they are kept. Reports, photos, ratings (with their comments), the problems' timelines, the codes above and the road's counts are the city's record of its work and are kept.",
      ],
    },
    {
      heading: "Who is responsible",
      paragraphs: [
        "The city running this service decides what it keeps and is responsible for it. For anything this page does not answer, ask the city.",
      ],
      withContact: [
        "The city running this service decides what it keeps and is responsible for it: {contact}. Ask there for anything this page does not answer, or to see, correct or delete what is kept about you where this site gives no way to.",
      ],
    },
  ],
  "zh-CN": [
    {
      heading: "您提交的内容，以及哪些会公开",
      paragraphs: [
        "一份报告包括位置、问题类型、您的描述、对补充问题的回答以及照片。这些内容连同提交时间都会公开：显示在地图上、问题页面上、问题的订阅源中，也可通过本市的开放接口（Open311）获取，任何人都可以据此跟进本市的处理情况。您之后对该问题说的话也会公开，例如反映问题仍然存在，或通过应用提交的补充说明。开放数据文件（CSV、GeoJSON）包含位置、问题类型、承办部门、状态、时间和数量，不含描述和照片。您对处理结果的评价星级会公开，评价时写的留言不公开。",
        "描述中的电话号码、微信号和邮箱地址对公众显示为 ***。照片会重新生成，去掉拍摄地点、时间等附加信息。任何人都可以举报含有个人信息的报告或照片，审核人员可以将其隐藏。",
        "本市工作人员可以看到未经遮挡的原文：承办该问题的部门（及其接收工单的系统），以及本市的管理员、审核人员和热线话务员。",
      ],
    },
    {
      heading: "关于您的身份",
      paragraphs: [
        "无需注册账户。为使每位居民对同一问题只计一次，并防止滥用，每份报告会保存两个用本市保密密钥生成的识别码：一个由能识别您的信息生成（本网站发给您浏览器的凭据，或应用提交的邮箱、电话号码或应用账户；都没有时，则为您的网络），另一个由网络生成（同一网段的 IP 地址，如 1.2.3.x）。只有掌握该密钥的本市能把识别码与给定的电话号码或地址对应起来：热线正是这样查到来电者用其号码提交的报告。您的 IP 地址绝不会被保存、显示、导出或写入日志；日志中只以简短的识别码表示网络。",
      ],
    },
    {
      heading: "联系方式",
      paragraphs: [
        "本网站的报告表单不收集任何联系方式。使用本市开放接口的应用可能随报告提交您的姓名、邮箱或电话号码，以及该应用为您手机生成的设备编号。这些信息加密保存，不向承办部门或公众显示。邮箱用于在问题标为“已办结”后询问您是否真的修好了；该邮件附有停止询问的链接，打开链接并确认后即删除该邮箱。以这种方式提交的电话号码，热线也可能据此查到相应报告，与来电者的号码一样。",
        "凭报告的回执，应用可以向您显示所保存的联系方式，并加以更正或删除；删除时，您随报告申请的进展通知也一并取消。",
        "如果您通过本市热线电话报告，话务员会将您的姓名和电话号码加密后与报告一起保存；您再次来电时，热线可以查到用您的号码提交的报告。您也可以来电要求删除，话务员会将其从用您号码提交的每份报告中删除；报告本身仍然保留，由您号码生成的识别码仍将这些报告计为您的。",
      ],
    },
    {
      heading: "关注问题",
      paragraphs: [
        "如需了解问题进展，您可以留下邮箱地址或开启浏览器通知。确认之前，除确认消息外不会发送任何消息；最后一次申请关注后 30 天仍未确认的，地址即被删除。每封邮件都附有退订链接；浏览器通知可在浏览器对本网站的设置中关闭。邮件经本市的邮件服务发送，通知经您浏览器自带的推送服务发送。",
      ],
    },
    {
      heading: "驾驶模式",
      paragraphs: [
        "驾驶模式页面会上传手机检测到的每次颠簸及其地点、时间、车速和方向，以及驶过的小块路段（约 10 米见方，不含先后顺序和时间）。不过，这些路段合在一起仍能看出当天驶过了哪些街道。服务器收到后立即把手机的随机编号转换为识别码，编号本身不保存：每次颠簸按约 50 米见方的小格专用的识别码（及其网络的识别码）计入所在地点，因此您的手机在不同地点的颠簸无法被关联起来。路段按网络计数，所用识别码每天更换；没有本市的保密密钥，就无法将其与某个网络或其他日期对应起来。",
      ],
    },
    {
      heading: "地图",
      paragraphs: [
        "地图底图来自地图服务器（除非本市另行设置，否则为 OpenStreetMap 的服务器），该服务器会获知您的 IP 地址和您查看的区域。",
      ],
    },
    {
      heading: "保存在本设备上的内容",
      paragraphs: [
        "本浏览器会保存：本网站发给它的凭据，以及它为驾驶模式生成的随机编号；您的报告回执，以及“我的报告”中每份报告的问题、时间和描述开头；正在填写的报告及其照片；尚未发出或被拒绝的报告（直到您将提示关闭）；驾驶时检测到的颠簸和驶过的路段（发送前；发送后只保留数量），以及被服务器拒绝的部分；您关注的问题（不含邮箱地址）；您选择的语言；以及本网站显示过的页面（以便离线打开）。在浏览器中清除本网站的数据即可全部删除；回执删除后，您也就无法再评价这些报告的处理结果或反映问题仍然存在。",
      ],
    },
    {
      heading: "保存期限",
      paragraphs: [
        "未被任何报告使用的照片在 24 小时后删除，无人确认的关注在 30 天后删除；已确认的关注保留到您退订为止。联系方式（应用提交的或来电者的）在问题结束 {days} 天后删除，您也可以提前删除：已办结或已关闭的问题，从应询问您是否真的修好之时起算；因反映人数不足而从未转交的问题，从其不再接受报告之时起算；并入其他问题的，随该问题一同结束。问题仍在处理期间，联系方式会一直保存。报告、照片、评价（连同留言）、问题的处理记录、上述识别码以及路段计数是本市的工作记录，会长期保存。",
      ],
    },
    {
      heading: "责任方",
      paragraphs: ["运营本服务的市政府决定保存哪些信息，并对此负责。如有本页未解答的问题，请向本市咨询。"],
      withContact: [
        "运营本服务的市政府决定保存哪些信息，并对此负责：{contact}。如有本页未解答的问题，或需查阅、更正、删除本网站未提供途径处理的个人信息，请通过上述方式联系。",
      ],
    },
  ],
};

/** The privacy notice: what is kept, what is public, and what a resident can do about it. */
export function PrivacyPage() {
  const { t, lang } = useI18n();
  const { contactRetentionDays, privacyContact } = useCatalog();
  useEffect(() => {
    document.title = `${t("privacyTitle")} · ${t("appName")}`;
  }, [t]);
  return (
    <article class="page privacy">
      <h1>{t("privacyTitle")}</h1>
      {NOTICE[lang].map((part) => (
        <section key={part.heading}>
          <h2>{part.heading}</h2>
          {((privacyContact && part.withContact) || part.paragraphs).map((p) => {
            const contact = privacyContact ?? "";
            const text = fill(p, { days: contactRetentionDays, contact });
            const at = contact && p.includes("{contact}") ? text.indexOf(contact) : -1;
            if (at < 0) return <p key={p}>{text}</p>;
            return (
              <p key={p}>
                {text.slice(0, at)}
                <ContactLinks text={contact} />
                {text.slice(at + contact.length)}
              </p>
            );
          })}
        </section>
      ))}
      <p>
        <Link href="/report">{t("navReport")}</Link>
      </p>
    </article>
  );
}

/** Where the city can be reached: what in it is an e-mail address, a web address or a phone number, a link. */
const REACHABLE = new RegExp(
  [
    // ASCII only, so Chinese beside it ("邮箱privacy@…", "…gov.cn。电话") is not taken in.
    "([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,})",
    "(https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]*[A-Za-z0-9_~/#=&%-])",
    // International, an area code in brackets, a landline with its area code, a mobile: not a
    // room number ("1203-1205") or a date.
    "(\\+\\d[\\d -]{6,}\\d|\\(0\\d{2,3}\\) ?\\d{3,4}[- ]?\\d{4}|0\\d{2,3}[- ]?\\d{7,8}|1[3-9]\\d{9})",
  ].join("|"),
  "g",
);

function ContactLinks({ text }: { text: string }) {
  const parts: (string | preact.JSX.Element)[] = [];
  let from = 0;
  for (const m of text.matchAll(REACHABLE)) {
    const [found, mail, web] = m;
    parts.push(text.slice(from, m.index));
    const href = mail ? `mailto:${mail}` : web ? web : `tel:${found.replace(/[ ()-]/g, "")}`;
    parts.push(
      <a key={m.index} href={href}>
        {found}
      </a>,
    );
    from = m.index + found.length;
  }
  parts.push(text.slice(from));
  return <>{parts}</>;
}
