"""What the demo county's villagers bring: topics per disposition track, with the result
text, the documents an agency item takes in and the department a beyond-authority item
goes to. Data only, in Chinese, as a clerk would write it."""
from dataclasses import dataclass

from huiying.concerns.models import Function as F


@dataclass(frozen=True)
class Topic:
    function: str
    summary: str
    result: str
    # Beyond authority: where it ends up — "township", "county" or a department key.
    target: str = ""
    documents: tuple = ()


POLICY = [
    Topic(F.AGENCY_SERVICE, "咨询城乡居民医保报销比例", "当面解读本年度城乡居民医保报销政策，乡镇卫生院住院报销比例约九成，并发放宣传资料。"),
    Topic(F.AGENCY_SERVICE, "咨询城乡居民养老保险缴费档次", "讲解各缴费档次及政府补贴标准，建议按家庭情况选择档次。"),
    Topic(F.AGENCY_SERVICE, "咨询低保申请条件", "告知低保申请条件、所需材料和办理流程，村民表示回家准备材料。"),
    Topic(F.AGENCY_SERVICE, "咨询残疾人两项补贴申领条件", "说明困难残疾人生活补贴和重度残疾人护理补贴的申领条件。"),
    Topic(F.AGENCY_SERVICE, "咨询甘蔗良种补贴政策", "解释甘蔗良种良法补贴标准和申报时间。"),
    Topic(F.AGENCY_SERVICE, "咨询外出务工技能培训报名", "告知县就业服务中心本季度免费培训班次和报名方式。"),
    Topic(F.AGENCY_SERVICE, "咨询边民互市贸易政策", "讲解边民互市贸易每人每日免税额度及合作社参与方式。"),
    Topic(F.AGENCY_SERVICE, "咨询退耕还林补助发放时间", "告知补助发放时间和查询方式，已当场查询到账记录。"),
    Topic(F.AGENCY_SERVICE, "咨询子女就学资助政策", "讲解雨露计划和义务教育阶段资助政策，告知申请时间。"),
    Topic(F.AGENCY_SERVICE, "咨询危房改造补助标准", "说明农村危房改造补助对象和标准。"),
    Topic(F.AGENCY_SERVICE, "咨询计划生育奖励扶助政策", "讲解农村部分计划生育家庭奖励扶助条件和标准。"),
    Topic(F.AGENCY_SERVICE, "咨询高龄津贴发放标准", "告知八十周岁以上老人高龄津贴标准和发放方式。"),
    Topic(F.DISPUTE, "咨询土地承包经营权确权登记", "讲解确权登记程序和异议处理办法，建议先与相邻农户核对地界。"),
    Topic(F.SENTIMENT, "询问征地补偿款发放进度", "查询项目补偿款拨付进度并当面告知预计发放时间，村民情绪平稳。"),
    Topic(F.SUGGESTION, "咨询村级公益事业一事一议程序", "讲解一事一议的议事程序和奖补政策。"),
]

DISPUTE = [
    Topic(F.DISPUTE, "宅基地边界纠纷", "经现场丈量，双方同意以原界石为准，签订调解协议。"),
    Topic(F.DISPUTE, "承包地地界纠纷", "对照确权图现场指界，双方认可新界桩位置。"),
    Topic(F.DISPUTE, "山林权属纠纷", "查阅林权证和老证人证言，双方就界线达成一致。"),
    Topic(F.DISPUTE, "灌溉用水纠纷", "商定轮流放水时间表，双方签字确认。"),
    Topic(F.DISPUTE, "相邻通行纠纷", "协商留出一米五通道，双方同意。"),
    Topic(F.DISPUTE, "婚姻家庭纠纷", "经耐心疏导，夫妻双方和好，约定共同照顾老人孩子。"),
    Topic(F.DISPUTE, "赡养老人纠纷", "兄弟三人签订赡养协议，按月轮流赡养并分担医药费。"),
    Topic(F.DISPUTE, "拖欠务工工资纠纷", "协调包工头分两期付清拖欠工资，首期已当场支付。"),
    Topic(F.DISPUTE, "甘蔗地界纠纷", "现场核对种植面积，双方同意砍蔗后重新埋设界桩。"),
    Topic(F.DISPUTE, "牲畜损坏农作物赔偿纠纷", "评估损失后由养殖户赔偿，并承诺圈养牲畜。"),
    Topic(F.DISPUTE, "修路占地补偿纠纷", "按屯内议定标准补偿，双方签字确认。"),
    Topic(F.DISPUTE, "房屋漏水相邻纠纷", "双方同意共同出资修缮共用墙体排水沟。"),
]

TIME_LIMITED = [
    Topic(F.SENTIMENT, "反映村道路灯损坏影响夜间出行", "联系供电所更换损坏路灯，已恢复照明。"),
    Topic(F.SENTIMENT, "反映屯内饮水工程停水", "维修抽水泵和破损管道，已恢复供水。"),
    Topic(F.SENTIMENT, "反映砂石场噪音扰民", "约谈砂石场负责人，限定作业时间为早八点至晚六点。"),
    Topic(F.SENTIMENT, "反映养殖场污水影响农田", "督促养殖场建设沉淀池，污水不再直排。"),
    Topic(F.SENTIMENT, "对低保评定结果有疑问", "复核家庭情况并在屯内公示评定依据，村民表示理解。"),
    Topic(F.SENTIMENT, "反映甘蔗收购排队时间长", "协调糖厂增开收购窗口并实行预约进厂。"),
    Topic(F.SUGGESTION, "建议硬化屯级道路", "已纳入明年屯级道路硬化计划并在公示牌公示。"),
    Topic(F.SUGGESTION, "建议修缮屯内水柜", "组织群众投工投劳修缮水柜，已完工。"),
    Topic(F.SUGGESTION, "建议增加农村客运班次", "协调客运站在圩日增开班车两趟。"),
    Topic(F.SUGGESTION, "建议开展甘蔗种植技术培训", "邀请农技人员到村开展培训一期。"),
    Topic(F.SUGGESTION, "建议安装太阳能路灯", "争取项目资金在屯内主干道安装太阳能路灯。"),
    Topic(F.SUGGESTION, "建议清理河道垃圾", "组织保洁员和党员志愿者清理河道。"),
    Topic(F.SUGGESTION, "建议增设村级文化活动场所", "利用闲置校舍改建文化活动室。"),
    Topic(F.AGENCY_SERVICE, "反映养老金未按时到账", "核实为银行卡信息变更所致，已协助更正，养老金已补发。"),
]

AGENCY = [
    Topic(F.AGENCY_SERVICE, "代办城乡居民医保参保缴费", "已代办参保缴费并将缴费凭证交还村民。", documents=("身份证", "户口簿")),
    Topic(F.AGENCY_SERVICE, "代办低保申请", "申请材料已报乡镇审核通过，纳入低保。", documents=("户口簿", "身份证", "收入证明")),
    Topic(F.AGENCY_SERVICE, "代办残疾人两项补贴申请", "补贴申请已审批，次月起按月发放。", documents=("残疾证", "身份证", "银行存折")),
    Topic(F.AGENCY_SERVICE, "代办高龄津贴申请", "高龄津贴申请已审批，按月发放。", documents=("身份证", "户口簿")),
    Topic(F.AGENCY_SERVICE, "代办养老保险待遇资格认证", "已完成年度待遇资格认证。", documents=("身份证",)),
    Topic(F.AGENCY_SERVICE, "代办农村危房改造补助申请", "申请已通过评定，列入本年度改造计划。", documents=("户口簿", "身份证", "房屋照片")),
    Topic(F.AGENCY_SERVICE, "代办新生儿户口登记", "户口已登记，户口簿已交还。", documents=("出生医学证明", "户口簿", "结婚证")),
    Topic(F.AGENCY_SERVICE, "代办生育服务登记", "生育服务登记已办结。", documents=("结婚证", "身份证")),
    Topic(F.AGENCY_SERVICE, "代办临时救助申请", "临时救助金已发放到户。", documents=("医疗费用票据", "户口簿")),
    Topic(F.AGENCY_SERVICE, "代办医疗费用异地就医报销", "报销款已到账。", documents=("住院发票", "出院小结", "身份证")),
    Topic(F.AGENCY_SERVICE, "代办农村建房用地审批", "建房审批已通过，批复已交村民。", documents=("户口簿", "建房申请书")),
    Topic(F.AGENCY_SERVICE, "代办就业失业登记", "就业失业登记证已办好交村民。", documents=("身份证", "照片")),
]

BEYOND = [
    Topic(F.SENTIMENT, "反映县道塌方阻断出行", "县交通部门已组织抢修，道路恢复通行。", target="county"),
    Topic(F.SUGGESTION, "申请实施屯级饮水安全工程", "项目已列入县农村饮水安全巩固提升工程计划。", target="county"),
    Topic(F.DISPUTE, "跨村山林权属纠纷", "镇调委会组织两村现场勘界，达成调解协议。", target="township"),
    Topic(F.DISPUTE, "跨乡镇水利设施使用纠纷", "县指挥部协调两镇签订用水协议。", target="county"),
    Topic(F.SENTIMENT, "反映移民搬迁安置补偿问题", "县指挥部约见村民代表，补偿差额已核定发放。", target="county"),
    Topic(F.SENTIMENT, "反映河堤护岸损毁", "镇水利站已完成应急修复。", target="township"),
    Topic(F.SUGGESTION, "建议修建村级便民桥", "镇里已立项，纳入下年度建设计划。", target="township"),
    Topic(F.AGENCY_SERVICE, "社保关系跨省转移接续", "县社保中心已办结转移接续手续。", target="renshe"),
    Topic(F.AGENCY_SERVICE, "申请大病临时救助", "县民政局核定救助金并已发放。", target="minzheng"),
    Topic(F.AGENCY_SERVICE, "申请特困人员供养", "经县民政局审批，纳入特困供养。", target="minzheng"),
    Topic(F.AGENCY_SERVICE, "返乡创业担保贷款办理", "县就业服务中心已审核通过贷款申请。", target="jiuye"),
    Topic(F.AGENCY_SERVICE, "计划生育特别扶助申请", "县卫健局审核通过，纳入特别扶助。", target="weijian"),
    Topic(F.SENTIMENT, "多次反映未果的征地补偿问题", "县信访局牵头召开协调会，补偿问题已解决。", target="xinfang"),
    Topic(F.DISPUTE, "涉及多户的治安隐患问题", "县综治中心协调派出所加强巡逻，隐患已消除。", target="zongzhi"),
    Topic(F.DISPUTE, "工伤赔偿需要法律援助", "县法律援助中心已指派律师，赔偿已到位。", target="falv"),
    Topic(F.AGENCY_SERVICE, "退役军人优抚待遇申请", "县人武部协助办结优抚待遇申请。", target="renwu"),
    Topic(F.SENTIMENT, "留守儿童关爱帮扶", "县工青妇组织结对帮扶，已落实爱心妈妈。", target="gongqingfu"),
    Topic(F.DISPUTE, "妇女土地承包权益受侵害", "县妇联协调村组，依法保障其承包权益。", target="gongqingfu"),
]

CONFIDENTIAL = [
    Topic(F.DISPUTE, "家庭暴力求助", "已联系派出所和妇联介入，出具告诫书并落实跟踪回访。"),
    Topic(F.SENTIMENT, "反映村干部优亲厚友问题", "经核查已责令整改，结果当面告知反映人。"),
    Topic(F.AGENCY_SERVICE, "重病家庭隐私救助申请", "已按隐私保护要求办理医疗救助。"),
    Topic(F.SENTIMENT, "举报违规占用帮扶资金", "经核查资金已追回，结果当面反馈。"),
    Topic(F.DISPUTE, "未成年人保护问题", "已联系学校和监护人落实监护责任，定期回访。"),
    Topic(F.SENTIMENT, "精神障碍患者家属求助", "协调医院落实救治和监护补贴。"),
]

VISITS_WITHOUT_CONCERN = ["来站了解回应站服务内容", "陪同家人来站办事", "领取惠民政策宣传资料", "来站查询公示内容", "来站表示感谢"]
MEDIATION_PLACES = ["村委会调解室", "争议现场", "屯活动室", "当事人家中"]
EXTENSION_REASONS = ["需等待相关部门现场勘测", "当事人外出务工，需待其返乡", "需补充材料后再行审核", "雨季无法施工，待天气好转"]
APPOINTMENT_PLACES = ["村委会", "屯活动室", "村民家中", "争议现场"]
RATING_COMMENTS = {"satisfied": ["办得快，很满意", "谢谢回应站", "态度好", ""], "basic": ["基本解决了", "还要再观察", ""], "dissatisfied": ["对方没有按协议执行", "问题没有真正解决"]}
