"""Demo data for the organisation: a township of ~20 villages of 4–6 grids, household heads, one user per role.

Each app has a ``demo.py`` with ``seed(ctx)``; ``manage.py seed_demo`` calls them in dependency order with one
shared ``DemoContext``. Everything comes from ``ctx.rng`` so a seed gives the same township every time.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .models import County, Grid, HeadTerm, HouseholdHead, Township, User, Village

DEMO_PASSWORD = "lianhutong-demo"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志文海成德全兴福贵生"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英红梅琴云莲真环雪荣爱妹香月凤洁琳素兰翠珍燕莉萍婷慧巧美"
VILLAGE_NAMES = ["桃源村", "柳湾村", "石桥村", "清水村", "杨家坝村", "高坪村", "龙泉村", "白鹤村", "新民村", "金竹村", "团结村", "和平村", "青龙村", "五里村", "永兴村", "长岭村", "双河村", "马鞍村", "红岩村", "黄桷村", "凤凰社区", "梨花村", "万福村", "大田村", "观音村"]
GRID_NAMES = ["第一网格", "第二网格", "第三网格", "第四网格", "第五网格", "第六网格"]
GROUPS = ["一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组"]
TOWNSHIP_NAMES = ["青石镇", "白马镇", "龙溪镇", "桂花镇", "平通镇", "南坝镇", "水观镇", "古城镇", "响岩镇", "豆叩镇", "大桥镇", "锁江镇", "木座镇", "坝子乡", "旧堡乡", "木皮乡", "土城乡", "阔达乡", "虎牙乡", "泗耳乡"]


@dataclass
class DemoContext:
    rng: random.Random
    households: int
    today: dt.date
    # Totals wanted by a benchmark; None lets each app choose what a real township would have.
    visits: int | None = None
    disputes: int | None = None
    petitions: int | None = None
    # 0 for the demo township; 1, 2, … for the other townships of a county dataset.
    township_index: int = 0
    # The county of a demo of several townships (``seed_demo --townships K``); None for one township.
    county: County | None = None
    township: Township | None = None
    villages: list[Village] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    heads: list[HouseholdHead] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    # Filled by later apps (households, …) for the apps after them.
    extra: dict = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def person_name(self, male: bool | None = None) -> str:
        if male is None:
            male = self.rng.random() < 0.5
        given = GIVEN_MALE if male else GIVEN_FEMALE
        n = 1 if self.rng.random() < 0.35 else 2
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(given) for _ in range(n))

    def mobile(self) -> str:
        return "1" + self.rng.choice("3456789") + "".join(self.rng.choice("0123456789") for _ in range(9))


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    index = ctx.township_index
    prefix = f"510723{105 + index:03d}"
    ctx.township = Township.objects.create(
        name=TOWNSHIP_NAMES[index % len(TOWNSHIP_NAMES)], code=f"{prefix}000", county=ctx.county,
    )
    village_count = 20
    for i, name in enumerate(VILLAGE_NAMES[:village_count], start=1):
        kind = Village.Kind.COMMUNITY if name.endswith("社区") else Village.Kind.VILLAGE
        ctx.villages.append(Village(township=ctx.township, name=name, code=f"{prefix}{i:03d}", kind=kind))
    Village.objects.bulk_create(ctx.villages)
    for village in ctx.villages:
        for name in GRID_NAMES[: rng.randint(4, 6)]:
            ctx.grids.append(Grid(village=village, name=name))
    Grid.objects.bulk_create(ctx.grids, batch_size=2000)

    # About one household head per ten households, spread over the grids.
    per_grid = max(1, round(ctx.households / len(ctx.grids) / 10))
    term_start = dt.date(ctx.today.year - 1, 9, 27)
    number = 0
    for grid in ctx.grids:
        for _ in range(per_grid):
            number += 1
            ctx.heads.append(
                HouseholdHead(
                    grid=grid, name=ctx.person_name(), phone=ctx.mobile(), appointed_on=term_start,
                    term_ends_on=term_start.replace(year=term_start.year + 3),
                    certificate_number=f"LHZ-{ctx.township.code[6:9]}-{term_start.year}-{number:05d}",
                )
            )
    HouseholdHead.objects.bulk_create(ctx.heads, batch_size=2000)
    HeadTerm.objects.bulk_create(
        (HeadTerm(head=h, grid_id=h.grid_id, certificate_number=h.certificate_number, starts_on=h.appointed_on,
                  ends_on=h.term_ends_on) for h in ctx.heads),
        batch_size=2000,
    )
    _seed_users(ctx)
    ctx.log.append(f"{len(ctx.villages)} villages, {len(ctx.grids)} grids, {len(ctx.heads)} household heads")


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)  # hashed once: a county has 140 demo users


def _seed_users(ctx: DemoContext) -> None:
    R = User.Role
    first_village, second_village = ctx.villages[0], ctx.villages[1]
    first_grid = next(g for g in ctx.grids if g.village_id == first_village.pk)
    first_head = next(h for h in ctx.heads if h.grid_id == first_grid.pk)
    specs = [
        ("admin", "系统管理员", None, {"is_superuser": True, "is_staff": True}),
        ("staff", "综治中心 周敏", R.TOWNSHIP_STAFF, {}),
        ("leader", "镇党委副书记 王建国", R.SUPERVISOR, {}),
        ("cadre", "包村干部 李强", R.TOWNSHIP_CADRE, {}),
        ("village", f"{first_village.name}村干部 陈明", R.VILLAGE_CADRE, {}),
        ("grid", f"{first_grid.name}网格员 赵丽", R.GRID_WORKER, {}),
        ("head", f"联户长 {first_head.name}", R.HOUSEHOLD_HEAD, {}),
    ]
    prefix = ""
    if ctx.township_index:
        # The other townships of a county: the same roles under prefixed names, no second superuser.
        prefix = f"{ctx.township.code[6:9]}-"
        specs = specs[1:]
    for key, display, role, flags in specs:
        user = User(
            username=prefix + key, display_name=display, role=role or R.TOWNSHIP_STAFF,
            township=ctx.township, phone=ctx.mobile(), last_login=None, date_joined=timezone.now(), **flags,
        )
        user.password = _demo_password_hash()
        user.save()
        ctx.users[key] = user
    ctx.users["cadre"].villages.set([first_village, second_village])
    ctx.users["village"].villages.set([first_village])
    ctx.users["grid"].grids.set([first_grid])
    head_user = ctx.users["head"]
    head_user.household_head = first_head
    head_user.save(update_fields=["household_head"])
    first_grid.leader = ctx.users["grid"]
    first_grid.save(update_fields=["leader"])


COUNTY_CODE, COUNTY_NAME = "510723", "平武县"


def seed_county() -> County:
    """The county of a demo of several townships, with its two logins: county staff (县综治中心) and a county
    leader (县领导/督查). Their townships are added by ``seed`` (``ctx.county``)."""
    county = County.objects.create(name=COUNTY_NAME, code=COUNTY_CODE)
    R = User.Role
    for username, display, role in (
        ("county", "县综治中心 孙丽华", R.COUNTY_STAFF),
        ("county-leader", "县委政法委副书记 刘志远", R.COUNTY_LEADER),
    ):
        user = User(username=username, display_name=display, role=role, county=county, last_login=None,
                    date_joined=timezone.now())
        user.password = _demo_password_hash()
        user.save()
    return county
