"""Demo step: drafts of last year's annual summary with the officers' own paragraphs, for three kinds of union.

The city federation (总工会 template) and 猎德街道 (town template) keep drafts whose
figures follow the records; an organ union of 天河区 (机关工会 template) is finalised,
so the demo shows a frozen summary too.
"""

from __future__ import annotations

from gonghui.demo import DemoContext
from gonghui.orgs.models import Org
from gonghui.reports.summary import services

CITY = {
    "opening": "一年来，全市各级工会坚持以职工为中心，围绕“强组织、优服务、促发展”的工作主线，"
               "在组织建设、维权服务和自身建设等方面取得了新的成效。",
    "organisation": "开展基层工会组建“百日攻坚”行动，市、区、街道三级工会联动，"
                    "对辖区内25人以上未建会企业逐一走访，推动新就业形态劳动者入会。\n"
                    "推广楼宇、商圈、市场联合工会建会模式，为小微企业职工提供就近入会渠道。",
    "self": "完善基层工会规范化建设考核办法，开展基层工会财务专项检查，督促基层工会按时完成换届选举。",
    "problems": "一是部分新建工会运行不够规范，存在“建而不管”的现象，职工对工会的认同感有待提升。\n"
                "二是新就业形态劳动者流动性大，入会后服务跟进还不够及时。\n"
                "三是部分基层工会干部为兼职，业务培训覆盖面不足，履职能力有待加强。",
    "plans": "一是持续推进基层工会组建和会员发展，重点做好新就业形态劳动者入会工作。\n"
             "二是深化基层工会规范化建设，对届满未换届的基层工会逐一督促指导。\n"
             "三是加强工会干部培训，全年至少举办一期基层工会主席培训班。\n"
             "四是做实职工服务阵地，推动职工之家、户外劳动者服务站点提质增效。",
}
TOWN = {
    "organisation": "街道总工会通过线上联系和实地走访相结合的方式，深入辖区企业开展建会宣传和指导。",
    "self": "组织辖区基层工会主席参加市、区工会举办的业务培训，提升工会干部的服务和维权能力。",
    "problems": "辖区内小微企业数量多、流动快，建会后的日常运行和会员管理仍有薄弱环节。",
    "plans": "一是推进辖区楼宇、商圈联合工会规范化运行。\n二是组织一次基层工会干部培训班，提升工会干部业务水平。",
}
ORGAN = {
    "ideology": "组织干部职工深入学习习近平新时代中国特色社会主义思想，开展“中国梦·劳动美”主题教育活动。",
    "organisation": "工会组织建设、制度建设、年度工作计划、经费预算和重大活动安排及时向单位党组请示汇报。",
    "care": "做好春节、端午、中秋等节日慰问和职工生日、生育慰问，坚持职工生病住院必访。",
    "problems": "工会干部多为兼职，本身工作繁忙，缺少工会业务培训，发挥作用还不够突出。",
    "plans": "一是做好工会换届选举工作。\n二是开展一线职工高温慰问，为高温下坚守岗位的职工送去清凉。",
}


def build(ctx: DemoContext) -> None:
    year = ctx.today.year - 1
    city = ctx.orgs["GZ"]
    town = ctx.orgs["GZ.TH.LD"]
    organ = Org.objects.filter(code__startswith="GZ.TH.", name__endswith="机关工会").order_by("path").first()
    made = 0
    for org, base, narrative in ((city, "federation", CITY), (town, "town", TOWN), (organ, "organ", ORGAN)):
        if org is None:
            continue
        template = services.ensure_template(None, org, base)
        summary = services.start_summary(None, org, year, template=template)
        summary = services.save_narrative(None, summary, narrative, note="演示：工会撰写内容")
        if base == "organ":
            services.finalise(None, summary, today=ctx.today)
        made += 1
    ctx.counts["annual_summaries"] = made
