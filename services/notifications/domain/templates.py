"""Message templates in Korean, versioned (Jinja2 is only a renderer here)."""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, StrictUndefined

_env = Environment(undefined=StrictUndefined, autoescape=False)  # noqa: S701 (plain text)


@dataclass(frozen=True)
class Template:
    name: str
    version: int
    text: str

    def render(self, **values: object) -> str:
        return _env.from_string(self.text).render(**values)


TEMPLATES = {
    "recruitment_opened": Template(
        "recruitment_opened",
        1,
        "[영등포구 일자리경제과] {{ year }}년 {{ '상' if half == 1 else '하' }}반기 "
        "'{{ title }}' 모집이 등록되었습니다. 선발인원 {{ total_quota }}명"
        "({% for p in programs %}{{ p.name }} {{ p.quota }}명{{ ', ' if not loop.last }}"
        "{% endfor %}).",
    ),
}
