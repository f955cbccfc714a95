"""The 개인정보 수집·이용 동의 an applicant gives on the form, versioned: the version each
application was made under is stored with it, so a changed text never rewrites what someone
agreed to. A new text is a new entry here; old entries stay."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Consent:
    version: str
    purpose: str
    items: tuple[str, ...]
    retention: str
    refusal: str


TEXTS = {
    "2022-1": Consent(
        version="2022-1",
        purpose="공공일자리 참여자 모집·자격 확인·선발, 결과 안내와 참여자 관리",
        items=(
            "성명, 주민등록번호(외국인등록번호), 주소, 휴대전화 번호",
            "가구원 수와 가구원의 관계·출생연도, 가구 재산과 월 소득",
            "우선선발 대상 여부, 과거 공공일자리 참여 횟수",
        ),
        retention="사업 종료 후 5년 (주민등록번호는 암호화하여 보관하고, 기간이 지나면 파기)",
        refusal=(
            "동의하지 않을 권리가 있습니다. 다만 동의하지 않으면 자격을 확인할 수 없어 "
            "신청할 수 없습니다."
        ),
    ),
}
CURRENT = "2022-1"
