/** What the sample's residents write, per service: the replayed reports' and the synthetic clusters' words. */
// Changsha's residents mostly write Chinese; one phrase in five is a visitor's English.
export const SAMPLE_WORDS: Record<string, string[]> = {
  pothole: [
    "路面有一个很深的坑，电动车容易摔倒",
    "右侧车道有个深坑",
    "井盖旁边路面塌陷",
    "公交站旁的沥青路面破损",
    "Deep pothole in the right lane",
  ],
  streetlight: [
    "路灯不亮，晚上很黑",
    "路灯整夜闪烁",
    "连续三盏路灯坏了",
    "人行横道旁的路灯不亮",
    "Streetlight flickering all night",
  ],
  illegal_dumping: [
    "有人在路边倾倒建筑垃圾",
    "河边步道上扔了旧沙发和几袋垃圾",
    "小区门口堆满垃圾",
    "人行道上堆着碎石",
    "Old sofa and bags dumped by the river path",
  ],
  noise: [
    "工地夜间施工噪音很大",
    "酒吧过了午夜还在放很响的音乐",
    "凌晨还在施工",
    "发电机整夜在响",
    "Loud music from a bar after midnight",
  ],
};
