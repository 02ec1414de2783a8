"""The demo city's shared context: each app's ``demo.build(ctx)`` adds its part."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "Xiaoneng@2026"
CITY = "临江"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕晓东春梅红梅玉兰文辉晓明德明立新卫东永红小红海波国庆俊杰子轩梓涵欣怡浩然宇航思远雨桐嘉怡一鸣"


@dataclass
class DemoContext:
    seed: int
    rng: random.Random
    write: Any  # a callable printing a line
    data: dict[str, Any] = field(default_factory=dict)

    def name(self) -> str:
        given = self.rng.choice([self.rng.choice(GIVEN), self.rng.choice(GIVEN) + self.rng.choice(GIVEN)])
        return self.rng.choice(SURNAMES) + given

    def mobile(self) -> str:
        return "1" + self.rng.choice("3456789") + "".join(self.rng.choice("0123456789") for _ in range(9))
