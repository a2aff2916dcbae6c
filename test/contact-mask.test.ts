import { describe, expect, it } from "vitest";
import { maskContacts } from "../src/domain/contact-mask";

describe("maskContacts", () => {
  it.each([
    ["有坑，请打我电话13800138000", "有坑，请打我电话***********"],
    ["call me on +86 138 0013 8000 please", "call me on +** *** **** **** please"],
    ["座机0731-84561234", "座机****-********"],
    ["(617) 555-1234 after 6", "(***) ***-**** after 6"],
    ["phone 555 1234", "phone *** ****"],
    ["ring 617.555.1234", "ring ***.***.****"],
    ["请拨打 8888 6666", "请拨打 **** ****"],
    ["座机 84561234", "座机 ********"],
    ["有事联系我88886666", "有事联系我********"],
    ["text me at 555-1234", "text me at ***-****"],
    ["微信号：wx 12345678", "微信号：wx ********"],
    ["QQ 123456", "QQ ******"],
    ["加我微信zhangsan_88，有照片", "加我微信***********，有照片"],
    ["微信号：ZhangSan1990", "微信号：************"],
    ["wechat id: lili_road", "wechat id: *********"],
    ["WeChat ID: roadfixer", "WeChat ID: *********"],
    ["我的微信号是zhangsan88", "我的微信号是**********"],
    ["微信账号为 zhangsan88", "微信账号为 **********"],
    ["my WeChat ID is lili_road", "my WeChat ID is *********"],
    ["telegram: @lili_road", "telegram: @*********"],
    ["wechat: zhangsan@163.com", "wechat: ***@***"],
    ["加我微信zhangsan@qq.com", "加我微信***@***"],
    ["vx Wang-Road8 thanks", "vx ********** thanks"],
    ["mail zhang.san+road@example.com.cn now", "mail ***@*** now"],
    ["联系人张三zhang@163.com谢谢", "联系人张三***@***谢谢"],
    // A link is kept whole, but not a person's number in it; nor letters around a mobile or an ID.
    [
      "Message him https://wa.me/8613912345678 , his ID43010419900307123X",
      "Message him https://wa.me/************* , his ID*****************X",
    ],
    ["see http://x.cn/13912345678", "see http://x.cn/***********"],
    [
      "form https://city.example/r?phone=0731-8888-1234&x=1",
      "form https://city.example/r?phone=****-****-****&x=1",
    ],
    ["call13912345678now", "call***********now"],
    ["call１３９１２３４５６７８now", "call***********now"],
    // Chinese words run on after a link without a space: the link ends at them.
    ["照片见https://x.com/a.jpg电话0731-88886666", "照片见https://x.com/a.jpg电话****-********"],
    [
      "form https://a.example/?phone_number=07318888666&tel=%2B447911123456",
      "form https://a.example/?phone_number=***********&tel=%2B************",
    ],
    ["https://a.example/?contact=139%2012345678", "https://a.example/?contact=***%20********"],
    // An address, a tel: number, a dashed mobile, an account key in a link; a capital H.
    [
      "see https://example.com/?email=zhang.san@gmail.com and https://example.com/users/zhang.san@gmail.com/photos",
      "see https://example.com/?email=***@*** and https://example.com/users/***@***/photos",
    ],
    ["https://example.com/a.jpg,tel:0731-88886666", "https://example.com/a.jpg,tel:****-********"],
    [
      "https://example.com/contact/139-1234-5678 is my page",
      "https://example.com/contact/***-****-**** is my page",
    ],
    [
      "https://example.com/p?contact_phone=07318888666&qq=123456789",
      "https://example.com/p?contact_phone=***********&qq=*********",
    ],
    ["身份证43010219900101123X", "身份证*****************X"],
    // A letter on one side only is still a number written against a word.
    ["Tel13800138000", "Tel***********"],
    ["13800138000abc", "***********abc"],
    ["全角手机１３８００１３８０００", "全角手机＊＊＊＊＊＊＊＊＊＊＊".replace(/＊/g, "*")],
    // Phrasings an outside review found readable.
    ["my number is 8888 1234", "my number is **** ****"],
    ["Contact number is 84123456", "Contact number is ********"],
    ["Her number is 84123456", "Her number is ********"],
    ["打8888-1234", "打****-****"],
    ["加我微信，号码是zhangsan_88", "加我微信，号码是***********"],
    ["微 信 lili_road", "微 信 *********"],
    ["Line ID: lili_road", "Line ID: *********"],
    ["电话：一三九一二三四五六七八", "电话：***********"],
    ["打幺三八零零幺三八零零零就行", "打***********就行"],
    ["QQ：五六七八九零", "QQ：******"],
    // Ways round the first cut an outside review found: other spaces and dashes, invisible
    // characters, other scripts' digits, Chinese numerals in groups, addresses not in ASCII.
    ["call 139\u202F1234\u202F5678", "call ***\u202F****\u202F****"],
    ["call 139\u20091234\u20075678", "call ***\u2009****\u2007****"],
    ["139\u200B1234\u200B5678", "***\u200B****\u200B****"],
    ["139\u00AD1234\u20605678", "***\u00AD****\u2060****"],
    ["tel 139－1234－5678", "tel ***－****－****"],
    ["phone ١٣٩١٢٣٤٥٦٧٨", "phone ***********"],
    ["phone 𝟏𝟑𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "phone ***********"],
    ["电话 一三九 一二三四 五六七八", "电话 *** **** ****"],
    ["张三@example.com", "***@***"],
    ["请联系zhang@例子.中国", "请联系***@***"],
    ["zhang@example。com", "***@***"],
    ["ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "***@***"],
    ["mail zh\u200Bang@example.com", "mail zh\u200B***@***"],
    // Other separators a later review found readable: list marks between the groups, a spaced
    // dash, formal numerals; and a mobile after a list's comma.
    ["电话：139，1234，5678", "电话：***，****，****"],
    ["电话139、1234、5678", "电话***、****、****"],
    ["call 139,1234,5678", "call ***,****,****"],
    ["mobile 139~1234~5678", "mobile ***~****~****"],
    ["手机 139*1234*5678", "手机 *************"],
    ["phone 139 - 1234 - 5678", "phone *** - **** - ****"],
    ["电话 壹叁玖壹贰叁肆伍陆柒捌", "电话 ***********"],
    ["lamps 3,13912345678 out", "lamps 3,*********** out"],
    // Numerals one by one, which read as a list, when they spell a mobile (a privacy review's find).
    ["电话 一 三 九 一 二 三 四 五 六 七 八", "电话 * * * * * * * * * * *"],
    ["一-三-九-一-二-三-四-五-六-七-八", "*-*-*-*-*-*-*-*-*-*-*"],
    ["壹 叁 玖 壹 贰 叁 肆 伍 陆 柒 捌 谢谢", "* * * * * * * * * * * 谢谢"],
  ])("masks %s", (text, masked) => {
    expect(maskContacts(text)).toBe(masked);
  });

  it.each([
    "A pothole 40 cm wide outside number 12, since 2026-11-20 08:30.",
    "路灯坏了三天，2026年11月20日 21:45 开始不亮",
    "at 28.2001234, 112.97123456 by the bus stop 1032",
    "GPS 28.1941 112.9823",
    "GPS (28.19413 112.98231)",
    "since 05/12/2026 08:30, and 12/05/2026 8:30 pm",
    "联系物业多次，维修费用 50000 元",
    "Picture: https://fixmystreet.example.org/photo/1733389123456.jpeg",
    "the hotel 12345 sign is broken",
    "联系了12345热线两次，电话12319也打过",
    "about 15000 square metres flooded",
    "Posted in the WeChat group yesterday",
    "shared on wechat already, nobody came",
    "微信群里大家都说了",
    "已在微信 Moments 发过",
    "Told them on WeChat: nothing happened",
    "https://example.com/s/wechatarticle123",
    // A long id in a link that is no ID card, a short number that is no phone, a chat's message id.
    "https://img.example/p/123456789012345678.jpg",
    "https://a.example/list?number=12345",
    "https://t.me/c/1234567890/123",
    "Https://example.com/photos/IMG_20261205083012.jpg is the photo",
    // Ids and dispatch marks: digits with letters on both sides are a code, no phone number.
    "CivicLoop 01kjm6jm00002ptjgh8h6yc1/01kjm6jm000068051je8x3fm",
    "order ab123456789cd",
    "打扫了三天，花了 50000 元",
    "一二楼之间的路灯坏了",
    "the online form failed at step 12345",
    "Line 5 bus stop, the line is broken",
    // Words an outside review found masked by the first cut of the cues above.
    "The pole number is 20381, the light is out",
    "Streetlight number is 305127",
    "The painted line identifies the bus lane",
    "WeChat identifies nobody here",
    "我在微信，Weibo上都发了照片",
    "微信,Email都试过了",
    "第一 二 三 四 五 六 七 八 九 十",
    "排名：一二 三四 五六",
    // Words up to an "@" are no address's name, nor a public line an address's (a review's finds).
    "东门口的路灯不亮了@物业.麻烦看下",
    "人行道上有个大坑已经三天了已联系@城管局．谢谢",
    "井盖丢失@12345.热线已打过",
    "坑@人民路.北段 很深",
    "IMG_20261205_083012.jpg",
    "① ② ③ ④ ⑤ ⑥ ⑦ ⑧ ⑨",
    // Lists and amounts written with commas are no number.
    "lamps 101,102,103,104 are out",
    "损失 1,250,000 元",
    "路灯 12、14、16、18、20 号不亮",
    "",
  ])("keeps %s", (text) => {
    expect(maskContacts(text)).toBe(text);
  });

  it("never makes a text longer: an address shorter than ***@*** is starred character for character", () => {
    expect(maskContacts("write to x@y.cn today")).toBe("write to *@**** today");
    expect(maskContacts("mail me: b@c.de or ab@c.de")).toBe("mail me: *@**** or ***@***");
    expect(maskContacts("see https://example.com/?to=x@y.cn")).toBe("see https://example.com/?to=*@****");
    expect(maskContacts("reply to a@", true)).toBe("reply to *@");
    // Accepted at 4,000 characters, still within them once masked (Open311's schema caps them).
    const near = "a@b.cc ".repeat(571);
    expect(maskContacts(near).length).toBeLessThanOrEqual(near.length);
    expect(maskContacts(near)).not.toContain("a@b.cc");
  });

  it("masks an address or a number cut short at the end of the first words of longer ones", () => {
    expect(maskContacts("东门口的路灯不亮了@物业.麻烦看下", true)).toBe("东门口的路灯不亮了@物业.麻烦看下");
    expect(maskContacts("有问题发邮件zhang.wei@", true)).toBe("有问题发邮件***@***");
    expect(maskContacts("有问题发邮件zhang.wei@", false)).toBe("有问题发邮件zhang.wei@");
    expect(maskContacts("call 138001", true)).toBe("call ******");
    expect(maskContacts("wechat id: lil", true)).toBe("wechat id: ***");
    expect(maskContacts("wechat id: lil", false)).toBe("wechat id: lil");
    // A link cut in a mobile: its first digits are no less the mobile's.
    expect(maskContacts("x https://example.com/u/13912345", true)).toBe("x https://example.com/u/********");
    expect(maskContacts("x https://example.com/u/13912345", false)).toBe("x https://example.com/u/13912345");
    // Cut before the "@" (the map's 120 characters, an audit): what may be an address's start goes.
    expect(maskContacts("Write: lili.wang.", true)).toBe("Write: **********");
    expect(maskContacts("mail me at user1988", true)).toBe("mail me at ********");
    expect(maskContacts("Write: lili.wang.", false)).toBe("Write: lili.wang.");
    // Plain words, a year or a house number cut short stay as written.
    expect(maskContacts("the hole is wid", true)).toBe("the hole is wid");
    expect(maskContacts("open since 2026", true)).toBe("open since 2026");
    // A mobile in Chinese numerals cut short: as many numerals as a cued number's are masked.
    expect(maskContacts("找王先生一三九一二三四五", true)).toBe("找王先生********");
    expect(maskContacts("找王先生一三九一二三四五", false)).toBe("找王先生一三九一二三四五");
  });
});
