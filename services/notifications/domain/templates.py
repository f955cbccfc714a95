"""Message templates in Korean: versioned, with per-channel variants.

Jinja2 is only the renderer; which template and version made a message is stored with
the delivery. A channel without its own variant uses the template's default text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment, StrictUndefined

_env = Environment(undefined=StrictUndefined, autoescape=False)  # noqa: S701 (plain text)
_env.filters["won"] = lambda n: f"{int(n):,}"


@lru_cache(maxsize=256)
def _compiled(source: str):
    """Compile each template text once per process (compiling costs ~1 ms a render)."""
    return _env.from_string(source)


HEAD = "[영등포구 일자리경제과]"


@dataclass(frozen=True)
class Template:
    name: str
    version: int
    text: str
    variants: dict[str, str] = field(default_factory=dict)
    subject: str = HEAD

    def render(self, channel: str | None = None, **values: object) -> str:
        source = self.variants.get(channel or "", self.text)
        return _compiled(source).render(**values).strip()

    def render_subject(self, **values: object) -> str:
        return _compiled(self.subject).render(**values)


_WORK = (
    "근무기간 {{ work_starts }}~{{ work_ends }}, 하루 {{ daily_hours }}시간, "
    "시급 {{ hourly_wage_krw | won }}원"
)

ALL = (
    Template(
        "recruitment_opened",
        1,
        HEAD + " {{ year }}년 {{ '상' if half == 1 else '하' }}반기 "
        "'{{ title }}' 모집이 등록되었습니다. 선발인원 {{ total_quota }}명"
        "({% for p in programs %}{{ p.name }} {{ p.quota }}명{{ ', ' if not loop.last }}"
        "{% endfor %}).",
    ),
    Template(
        "application_received",
        1,
        "[영등포구] {{ name }}님, '{{ recruitment_title }}' 신청이 접수되었습니다.",
        {
            "kakao": "{{ name }}님, 영등포구 '{{ recruitment_title }}' 참여 신청이 정상적으로 "
            "접수되었습니다.\n선발 결과는 문자 또는 알림톡으로 알려 드립니다.",
            "email": "{{ name }}님, 영등포구 '{{ recruitment_title }}' 참여 신청이 정상적으로 "
            "접수되었습니다.\n선발 결과는 이 주소로 알려 드립니다.\n\n" + HEAD,
        },
        subject=HEAD + " 신청이 접수되었습니다",
    ),
    Template(
        "application_rejected",
        1,
        "[영등포구] {{ name }}님, '{{ recruitment_title }}' 신청이 접수되지 않았습니다. "
        "사유: {{ reasons | join(', ') }}",
        subject=HEAD + " 신청 결과 안내",
    ),
    Template(
        "participant_selected",
        1,
        "[영등포구] {{ name }}님, {{ program_name }} 참여자로 선발되셨습니다. " + _WORK + ".",
        {
            "kakao": "{{ name }}님, 축하드립니다.\n영등포구 {{ program_name }} 참여자로 "
            "선발되셨습니다.\n" + _WORK + "\n문의: 일자리경제과",
        },
        subject=HEAD + " 선발 안내",
    ),
    Template(
        "participant_waitlisted",
        1,
        "[영등포구] {{ name }}님, 예비 {{ rank }}번으로 대기 중입니다. "
        "결원이 생기면 바로 알려 드립니다.",
        subject=HEAD + " 예비 순번 안내",
    ),
    Template(
        "participant_promoted",
        1,
        "[영등포구] {{ name }}님, 결원이 생겨 {{ program_name }} 참여자로 선발되셨습니다. "
        + _WORK
        + ".",
        subject=HEAD + " 추가 선발 안내",
    ),
    Template(
        "execution_lagging",
        1,
        "[영등포구 예산] {{ fiscal_year }}년 {{ unit_program }} 집행률 {{ rate_pct }}%"
        "(기준일 {{ as_of }})로 목표 {{ expected_pct }}%에 못 미칩니다.",
        subject="[영등포구 예산] {{ unit_program }} 집행 부진 알림",
    ),
    Template(
        "alarm_raised",
        1,
        "[긴급 화재경보] {{ market }} {{ store }} {{ kind }} 감지(등급 {{ severity }}). "
        "확인: {{ ack_url }}",
        {
            "webhook": "{{ market }} {{ store }}에서 {{ kind }} 감지(등급 {{ severity }}, "
            "{{ detected_at }}). 장치 {{ device_id }}. 확인: {{ ack_url }}",
        },
        subject="[긴급 화재경보] {{ market }} {{ store }}",
    ),
    # markets.alarm_raised / alarm_escalated v2: the store by number and place, never by
    # its sign alone; the market's address for the fire station.
    Template(
        "alarm_notice",
        1,
        "{{ test_mark }}[{{ headline }}] {{ market_name }} {{ store_number }}번 점포"
        "({{ store_name }}) {{ location }}. 주소: {{ market_address }}. "
        "감지 {{ detected_kst }}.{% if ack_url %} 확인: {{ ack_url }}{% endif %}",
        {
            "voice": "{{ test_mark }}{{ headline }}. {{ market_name }} {{ store_number }}번 점포,"
            " {{ location }}. 문자로 받은 확인 링크를 눌러 주세요.",
        },
        subject="{{ test_mark }}[{{ headline }}] {{ market_name }} {{ store_number }}번 점포",
    ),
)

VERSIONS = {(t.name, t.version): t for t in ALL}
TEMPLATES = {t.name: t for t in sorted(ALL, key=lambda t: t.version)}  # the latest of each


def get(name: str, version: int | None = None) -> Template:
    return TEMPLATES[name] if version is None else VERSIONS[(name, version)]
