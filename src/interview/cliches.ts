// 套话: phrases examiners hear in every room and mark down, because they take the place of
// content. The list is general (from interview coaching material and scoring sheets, see
// ../shared/research), not tuned to any question. Some phrases are fine inside a concrete
// sentence and count only when the sentence around them says nothing specific.
export interface ClicheHit {
  /** how the review names it */
  label: string;
  /** the words as the candidate said them */
  quote: string;
  /** a stock phrase of the answer template: charged, but its sentence still says what it says */
  stock?: boolean;
}

interface Cliche {
  pattern: RegExp;
  label: string;
  /** only a cliché when its sentence has no specific content */
  onlyAsFiller?: boolean;
  /** a stock phrase of the memorised answer template (模板句), see ClicheHit.stock */
  stock?: boolean;
}

const CLICHES: Cliche[] = [
  { pattern: /(?:对我的?|是领导对我的?)(?:信任|认可)[^。；]{0,12}(?:锻炼|考验)|(?:锻炼|考验)[^。；]{0,6}(?:和|与|也是)[^。；]{0,6}(?:锻炼|考验)/, label: '“是对我的信任,也是对我的锻炼和考验”' },
  { pattern: /高度重视/, label: '“高度重视”' },
  { pattern: /齐抓共管/, label: '“齐抓共管”' },
  { pattern: /以人民为中心/, label: '“以人民为中心”(没有落到具体做法)', onlyAsFiller: true },
  { pattern: /权为民所用[^。]{0,4}情为民所系/, label: '“权为民所用,情为民所系”' },
  { pattern: /想群众之所想[^。]{0,4}急群众之所急/, label: '“想群众之所想,急群众之所急”' },
  { pattern: /沉着冷静[^。]{0,4}(?:积极|妥善)(?:面对|应对)|保持冷静[^。]{0,2}积极应对/, label: '“沉着冷静,积极应对”' },
  { pattern: /形成(?:工作)?合力|凝聚(?:起)?(?:强大)?合力/, label: '“形成合力”' },
  { pattern: /取得(?:了)?新(?:的)?成效|开创[^。]{0,4}新局面|谱写[^。]{0,4}新篇章|作出(?:新的|更大)?贡献/, label: '“取得新成效/作出贡献”' },
  { pattern: /提高思想认识|提高(?:政治)?站位/, label: '“提高思想认识/站位”' },
  { pattern: /加强组织领导/, label: '“加强组织领导”' },
  { pattern: /(?:提供|作为)坚强(?:的)?(?:组织)?保障/, label: '“提供坚强保障”' },
  { pattern: /辩证(?:地)?看待/, label: '“辩证看待”', onlyAsFiller: true },
  { pattern: /不忘初心|牢记使命/, label: '“不忘初心、牢记使命”' },
  { pattern: /撸起袖子/, label: '“撸起袖子加油干”' },
  { pattern: /一根筷子/, label: '“一根筷子易折断”' },
  { pattern: /总结报告[^。]{0,6}(?:领导|上级)|形成[^。]{0,4}报告[^。]{0,4}(?:交给|报给|呈报)领导/, label: '“形成总结报告交给领导”', onlyAsFiller: true },
  { pattern: /统筹(?:协调|兼顾)[^。]{0,4}(?:各方|各项)|多措并举|全方位[^。]{0,2}多角度|系统(?:工程|谋划)/, label: '“统筹协调、多措并举”', onlyAsFiller: true },
  { pattern: /认真(?:学习|领会|贯彻)[^。]{0,6}(?:精神|部署)|贯彻落实[^。]{0,4}(?:决策部署|精神)/, label: '“认真贯彻落实……精神”', onlyAsFiller: true },
  { pattern: /(?:坚决|一定|保证)(?:圆满)?完成(?:好)?(?:领导交给的|这项|各项)?任务/, label: '“一定圆满完成任务”', onlyAsFiller: true },
  { pattern: /不辜负[^。]{0,6}(?:期望|信任|重托)|不让领导失望/, label: '“不辜负领导的期望”' },
  { pattern: /这道题(?:考查|考察|考的是|主要考)/, label: '“这道题考查的是……”' },
  { pattern: /全心全意为人民服务(?:的宗旨)?|站稳人民立场|把群众的?冷暖放在心上/, label: '“全心全意为人民服务”' },
  { pattern: /动之以情[^。]{0,3}晓之以理|真心换真情|用心用情/, label: '“动之以情、晓之以理”' },
  { pattern: /得民心[^。]{0,2}顺民意|把好事办好|让群众满意(?:的好事)?/, label: '“把好事办好、让群众满意”', onlyAsFiller: true },
  { pattern: /赢得(?:群众|大家)的?(?:理解和支持|信任和支持)/, label: '“赢得群众的理解和支持”', onlyAsFiller: true },
  { pattern: /凝心聚力|真抓实干|久久为功|常抓不懈|与时俱进|迈上新台阶|焕发(?:出)?新的?(?:生机|活力)|砥砺前行|担当作为/, label: '“凝心聚力、真抓实干”' },
  { pattern: /意义重大[^。]{0,3}影响深远|重要组成部分|新情况[^。]{0,2}新问题|新形势下/, label: '“意义重大、影响深远”', onlyAsFiller: true },
  { pattern: /(?:用|以)发展的眼光|辩证的眼光|一分为二(?:地)?看/, label: '“用发展的、辩证的眼光看”', onlyAsFiller: true },
  { pattern: /不断提升[^。]{0,10}(?:能力和水平|水平和能力)|提升[^。]{0,6}(?:整体)?素质/, label: '“不断提升能力和水平”', onlyAsFiller: true },
  { pattern: /深入(?:思考|研究)[^。]{0,4}(?:积极|认真)(?:应对|研究)|认真研究[^。]{0,3}积极应对/, label: '“认真研究、积极应对”' },
  { pattern: /以情动人[^。]{0,3}以理服人|以理服人[^。]{0,3}以情动人/, label: '“以情动人、以理服人”' },
  { pattern: /再上新台阶|更上一层楼|上一个新台阶/, label: '“再上新台阶”' },
  { pattern: /举一反三|以此为契机/, label: '“以此为契机、举一反三”', onlyAsFiller: true },
  { pattern: /世界观[^。]{0,2}人生观[^。]{0,2}价值观/, label: '“树立正确的世界观、人生观、价值观”' },
  { pattern: /平凡的岗位上[^。]{0,6}不平凡|化压力为动力|变压力为动力|吃苦就是吃补|吃亏是福/, label: '“在平凡的岗位上创造不平凡”' },
  { pattern: /先进性和纯洁性|先锋模范作用|战斗堡垒作用/, label: '“发挥先锋模范作用”', onlyAsFiller: true },
  { pattern: /问计于民[^。]{0,3}问需于民|问需于民[^。]{0,3}问计于民|群众利益无小事/, label: '“问计于民、问需于民”', onlyAsFiller: true },
  { pattern: /心往一处想[^。]{0,3}劲往一处使|拧成一股绳/, label: '“心往一处想、劲往一处使”' },
  { pattern: /集体的温暖|组织的温暖/, label: '“感受到集体的温暖”', onlyAsFiller: true },
  { pattern: /建言献策[^。]{0,3}贡献(?:自己的)?力量|贡献(?:一份|自己的)力量/, label: '“建言献策、贡献力量”', onlyAsFiller: true },
  { pattern: /落到实处|抓出实效|打通[^。]{0,6}最后一公里/, label: '“落到实处、打通最后一公里”', onlyAsFiller: true },
  // 模板句: the memorised frame of a coached answer, said whatever the question; each stands where
  // a step of this question's own handling should be
  { pattern: /(?:保持|沉着)冷静/, label: '“保持冷静”', stock: true },
  { pattern: /(?:做好|从|有|抓好)以下几(?:点|个方面|方面)/, label: '“做好以下几点”', stock: true },
  { pattern: /加强宣传(?:引导)?/, label: '“加强宣传引导”', stock: true },
  { pattern: /(?:争取|取得|得到|获得)[^。,，;；]{0,8}理解和支持/, label: '“争取理解和支持”', stock: true },
  { pattern: /总结经验(?:教训)?/, label: '“总结经验教训”', stock: true },
  { pattern: /通过(?:以上|这些|上述)(?:措施|举措|做法|工作)/, label: '“通过以上措施”', stock: true },
  { pattern: /有一定(?:的)?道理/, label: '“有一定道理”', stock: true },
  { pattern: /我(?:会|将|一定会)认真(?:做好|完成|落实|对待|组织)/, label: '“我会认真做好”', stock: true },
];

/** The clichés in one sentence; `generic` says whether the sentence has no specific content. */
export function clichesIn(sentence: string, generic: boolean): ClicheHit[] {
  const hits: ClicheHit[] = [];
  for (const cliche of CLICHES) {
    if (cliche.onlyAsFiller && !generic) continue;
    const match = cliche.pattern.exec(sentence);
    if (match) hits.push({ label: cliche.label, quote: match[0], ...(cliche.stock ? { stock: true } : {}) });
  }
  return hits;
}

/** Each cliché once, in order of appearance. */
export function distinctCliches(hits: ClicheHit[]): ClicheHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => (seen.has(hit.label) ? false : (seen.add(hit.label), true)));
}
