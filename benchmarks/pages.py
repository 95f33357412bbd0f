"""Synthetic JD-like pages for benchmarks: site chrome around generated job descriptions."""

from __future__ import annotations

import random

ROLES = [
    "客户经理",
    "仓库管理员",
    "出纳",
    "人事专员",
    "行政专员",
    "销售代表",
    "质检员",
    "采购员",
    "电工",
    "司机",
    "前台接待",
    "店长",
]
DEPTS = ["财务部", "人力资源部", "行政部", "销售部", "生产部", "质量部", "采购部", "仓储部"]
VERBS = ["负责", "协助", "组织", "参与", "跟进", "监督", "制定", "完善", "审核", "统计"]
OBJECTS = [
    "客户资料的整理与归档",
    "月度工作计划的编制",
    "部门预算的执行情况",
    "供应商的评估与考核",
    "日常报表的汇总分析",
    "员工培训与考核工作",
    "设备的巡检与维护",
    "合同的签订与管理",
    "库存物料的盘点",
    "来访客人的接待",
]
CN_NUM = "一二三四五六七八九十"


def job_description(rng: random.Random) -> list[str]:
    role = rng.choice(ROLES)
    lines = [
        f"{role}岗位说明书",
        "一、岗位基本信息",
        f"岗位名称:{role}",
        f"所属部门:{rng.choice(DEPTS)}",
        "二、岗位职责",
    ]
    for i in range(rng.randint(5, 12)):
        lines.append(f"{i + 1}.{rng.choice(VERBS)}{rng.choice(OBJECTS)},确保{rng.choice(OBJECTS)}按时完成;")
    lines += [
        "三、任职资格",
        f"1.{rng.choice(['大专', '本科', '中专'])}及以上学历;",
        f"2.{rng.randint(1, 5)}年以上相关工作经验;",
    ]
    for k in range(3, rng.randint(4, 8)):
        lines.append(f"{CN_NUM[k]}、{rng.choice(['绩效考核', '薪酬福利', '培训发展', '工作环境'])}")
        lines.append(f"{rng.choice(VERBS)}{rng.choice(OBJECTS)},{rng.choice(VERBS)}{rng.choice(OBJECTS)}。")
    return lines


def _links(rng: random.Random, n: int, suffix: str = "") -> str:
    return "".join(
        f"<li><a href='/html/{rng.randint(10**5, 10**7)}.shtm' title='{rng.choice(ROLES)}'>"
        f"{rng.choice(ROLES)}{rng.choice(['工作总结', '岗位职责', '工作计划', '考核办法'])}{suffix}</a>"
        f"<span class='meta'>{rng.randint(1, 99)}页</span></li>"
        for _ in range(n)
    )


def html_page(rng: random.Random) -> str:
    """A page shaped like a document site's: about 100 KB, most of it chrome.

    Real pages of these sites carry large inline scripts (page config, ad and tracking code),
    a navigation bar with category menus, several related-document lists and a long footer
    around a preview of a few KB; the sizes here follow that shape.
    """
    body = "".join(f"<p>{line}</p>" for line in job_description(rng))
    config = ",".join(f'"k{i}":"{rng.randint(0, 10**9):x}"' for i in range(600))
    script = (
        f"<script>var pageConfig={{{config}}};</script>"
        + "<script>(function(){var a=[];for(var i=0;i<10;i++){a.push(i)}})();</script>" * 40
    )
    menu = "".join(f"<li><a href='/cat/{k}'>{rng.choice(DEPTS)}文档</a></li>" for k in range(80))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>岗位说明书-原创力文档</title>"
        f"{script}<style>{'.c{color:red;margin:0 auto}' * 200}</style></head><body>"
        f"<div class='header'><a href='/'>首页</a> <a href='/vip'>VIP专区</a> <a href='/up'>上传文档</a> <a>登录</a> <a>注册</a>"
        f"<ul class='menu'>{menu}</ul></div>"
        "<ul class='notice'><li>1、本站所有内容均由合作方或网友上传,本站不对文档的完整性、权威性做任何保证!</li>"
        "<li>2、该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。</li></ul>"
        f"<div id='main'><div class='doc'>{body}</div></div>"
        f"<div class='related'><h3>您可能关注的文档</h3><ul>{_links(rng, 40, '.docx')}</ul></div>"
        f"<div class='hot'><h3>热门推荐</h3><ul>{_links(rng, 40)}</ul></div>"
        f"<div class='latest'><h3>最新文档</h3><ul>{_links(rng, 40, '.pdf')}</ul></div>"
        "<div class='comment'>文档评论(0)</div>"
        f"<div class='footer'>{'<a>关于我们</a><a>联系我们</a><a>用户协议</a><a>隐私政策</a>' * 10}版权所有 | 沪ICP备00000000号</div>"
        "</body></html>"
    )


def text_page(rng: random.Random) -> str:
    head = [
        "- 1、原创力文档(book118)网站文档一经付费(服务费),不意味着购买了该文档的版权,侵权必究。",
        "- 2、该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。",
    ]
    tail = ["您可能关注的文档"] + [f"- {rng.choice(ROLES)}工作计划.docx" for _ in range(10)] + ["文档评论(0)"]
    return "\n".join(head + job_description(rng) + tail)
