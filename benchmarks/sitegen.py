"""Generated multi-page sites whose chrome is neutral text: for the site-template tests and the
learning-pass benchmark.

Each site prints the same chrome on (nearly) every page: a header with a per-page number, a
slogan, a line after the title, a sidebar and a footer, all sentences no boilerplate vocabulary
matches, so only repetition across the site's pages gives them away. The documents are job
descriptions from large phrase pools; on some sites stock sentences (完成上级领导交办的其他工作)
are injected into most documents at random places in the duties, which must survive.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from pathlib import Path

NEUTRAL = (
    "清风 明月 山川 湖泊 远方 故乡 秋天 花开 岁月 温暖 晨光 星空 河流 小路 书页 茶香 雨后 晴天 海边 "
    "森林 草原 灯火 街角 旅途 黄昏 白云 细雨 窗台 屋檐 田野 炊烟 渡口 江南 塞北 钟声 纸鸢 长亭 古镇"
).split()
VERBS = "负责 协助 组织 参与 跟进 监督 制定 完善 审核 统计 推动 落实 协调 指导".split()
OBJECTS = (
    "客户资料的整理与归档 月度工作计划的编制 部门预算的执行 供应商的评估与考核 日常报表的汇总分析 "
    "员工培训与考核 设备的巡检与维护 合同的签订与管理 库存物料的盘点 来访客人的接待 招聘渠道的拓展 "
    "安全隐患的排查 产品质量的抽检 市场信息的收集 售后问题的处理 费用报销的审核 档案资料的保管 "
    "办公用品的采购 会议纪要的整理 项目进度的跟踪 生产计划的排程 车辆调度与保养 网络设备的维护 "
    "宣传材料的设计 门店陈列的调整 食堂卫生的检查 仓库收发货 税务申报 工资核算 绩效数据的统计"
).split()
PURPOSES = (
    "确保工作按时完成 提高部门运行效率 降低运营成本 保证数据准确无误 提升客户满意度 防范经营风险 "
    "保障生产安全有序 促进团队协作 满足公司发展需要 符合相关制度规定"
).split()
ROLES = "客户经理 仓库管理员 出纳 人事专员 行政专员 销售代表 质检员 采购员 电工 司机 前台接待 店长 会计 网管 厨师长".split()
DEPTS = "财务部 人力资源部 行政部 销售部 生产部 质量部 采购部 仓储部 信息部 后勤部".split()
STOCK = [
    "完成上级领导交办的其他工作。",
    "具有良好的沟通能力和团队合作精神。",
    "遵守公司各项规章制度。",
    "能够承受一定的工作压力。",
]
CLOSING = "以上职责如有变动，以公司最新通知为准。"  # a stock sentence that ends many documents
CN = "一二三四五六七八九十"


def _neutral(rng: random.Random, words: int) -> str:
    picked = [rng.choice(NEUTRAL) for _ in range(words)]
    half = max(1, words // 2)
    return "".join(picked[:half]) + "，" + "".join(picked[half:]) + rng.choice("。！")


@dataclass
class Site:
    name: str  # also its domain stem
    header: list[str]  # before the title; `{n}` takes the page number
    after_title: list[str]
    tail: list[str]
    inside: list[str]  # HTML only: chrome inside the article container, after the text
    stock: bool  # stock sentences in most documents
    numbered_stock: bool
    pages: list[Page] = field(default_factory=list)


@dataclass
class Page:
    site: str
    n: int
    title: str
    content: list[str]  # the document's lines, title first
    head: list[str]  # chrome as printed on this page, by where it sits
    after_title: list[str]
    tail: list[str]
    inside: list[str]

    @property
    def chrome(self) -> list[str]:
        return [*self.head, *self.after_title, *self.tail, *self.inside]

    @property
    def url(self) -> str:
        return f"https://www.{self.site}.com/doc/{self.n}.html"


def make_site(rng: random.Random, name: str, stock: bool) -> Site:
    return Site(
        name=name,
        header=[
            "".join(rng.sample(NEUTRAL, 2)) + "之家",
            _neutral(rng, 4),
            "第{n}期 · " + "".join(rng.sample(NEUTRAL, 2)),
        ],
        after_title=[_neutral(rng, 6)],
        tail=[_neutral(rng, rng.randint(4, 10)) for _ in range(rng.randint(3, 5))],
        inside=[_neutral(rng, 8)],
        stock=stock,
        numbered_stock=rng.random() < 0.5,
    )


def job_document(rng: random.Random, site: Site) -> list[str]:
    role, dept = rng.choice(ROLES), rng.choice(DEPTS)
    duties = [
        f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{rng.choice(PURPOSES)}；"
        for _ in range(rng.randint(5, 10))
    ]
    if site.stock:
        for s in STOCK:
            if rng.random() < 0.75:
                duties.insert(rng.randint(0, len(duties)), s)
    lines = [
        f"{dept}{role}岗位说明书",
        "一、基本信息",
        f"岗位名称：{role}",
        f"所属部门：{dept}",
        "二、岗位职责",
    ]
    for i, d in enumerate(duties):
        lines.append(f"{i + 1}.{d}" if site.numbered_stock or d not in STOCK else d)
    lines += [
        "三、任职资格",
        f"1.{rng.choice(['大专', '本科', '中专'])}及以上学历，{rng.randint(1, 8)}年以上{rng.choice(OBJECTS)}经验；",
        f"2.熟悉{rng.choice(OBJECTS)}和{rng.choice(OBJECTS)}，{rng.choice(PURPOSES)}。",
        f"{CN[3]}、工作环境",
        f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}时需{rng.choice(PURPOSES)}，{rng.choice(NEUTRAL)}附近办公。",
    ]
    if site.stock and rng.random() < 0.6:
        lines.append(CLOSING)
    return lines


def _some(rng: random.Random, lines: list[str]) -> list[str]:
    return [x for x in lines if rng.random() < 0.95]  # a line now and then missing


def make_sites(seed: int, sites: int, pages: int, stock_sites: int = 1) -> list[Site]:
    """`sites` sites of `pages` pages each; the first `stock_sites` inject stock sentences."""
    out = []
    for k in range(sites):
        rng = random.Random(seed * 1000 + k)  # a site's own: more pages elsewhere change nothing here
        site = make_site(rng, f"site{k:02d}{rng.choice('abcdefgh')}", stock=k < stock_sites)
        for n in range(pages):
            doc = job_document(rng, site)
            number = str(rng.randint(100, 9999))

            head = [h.replace("{n}", number) for h in _some(rng, site.header)]
            page = Page(
                site.name,
                n,
                doc[0],
                doc,
                head,
                _some(rng, site.after_title),
                _some(rng, site.tail),
                _some(rng, site.inside),
            )
            site.pages.append(page)
        out.append(site)
    return out


def text_dump(page: Page) -> str:
    """The page as a browser's text dump: header, title, a line, the document, sidebar, footer."""
    lines = [*page.head, page.content[0], *page.after_title, *page.content[1:], *page.inside, *page.tail]
    return "\n".join(lines) + "\n"


def html_page(page: Page) -> str:
    """The page as HTML: chrome in the header, sidebar and footer, and some inside the article."""
    e = html.escape

    def paras(lines: list[str]) -> str:
        return "".join(f"<p>{e(x)}</p>" for x in lines)

    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(page.title)}</title>"
        f"<link rel='canonical' href='{page.url}'></head><body>"
        f"<div class='top'>{''.join(f'<div>{e(h)}</div>' for h in page.head)}</div>"
        f"<div class='main'><div class='article'><h1>{e(page.title)}</h1>"
        f"{paras(page.after_title)}{paras(page.content[1:])}{paras(page.inside)}</div>"
        f"<div class='side'>{paras(page.tail[:2])}</div></div>"
        f"<div class='foot'>{paras(page.tail[2:])}</div></body></html>"
    )


def write_sites(root: Path, sites: list[Site], kind: str, layout: str = "folders") -> None:
    """Write every page: `kind` text or html; `layout` folders (one per site) or mixed (one
    folder for all, no URL in text dumps)."""
    for site in sites:
        folder = root / (site.name if layout == "folders" else "all")
        folder.mkdir(parents=True, exist_ok=True)
        for page in site.pages:
            text = text_dump(page) if kind == "text" else html_page(page)
            suffix = "txt" if kind == "text" else "html"
            (folder / f"{site.name}-{page.n:05d}.{suffix}").write_text(text, encoding="utf-8")


def score(sites: list[Site], texts: dict[str, str]) -> tuple[float, float]:
    """(share of chrome lines leaked, share of content lines kept) over all pages; `texts` maps
    a page's file stem to its cleaned text."""
    leaked = chrome = kept = content = 0
    for site in sites:
        for page in site.pages:
            out = "".join(texts.get(f"{site.name}-{page.n:05d}", "").split())
            for c in page.chrome:
                chrome += 1
                leaked += "".join(c.split()) in out
            for c in page.content:
                content += 1
                kept += "".join(c.split()) in out
    return leaked / max(chrome, 1), kept / max(content, 1)
