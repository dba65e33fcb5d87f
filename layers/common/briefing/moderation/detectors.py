"""Detectors for R2, R5-R10 and R12: links, ads, piracy, crime, impersonation, copying, relevance.

Bare topic words are never enough: press releases talk about 대출, 카지노, 마약, 해킹 and 범죄 all the
time.  A finding needs the shape of an offer (팝니다, 문의주세요, an ID to contact), a link, or a
first-person claim.  Each cue list is written for the kind of text, see docs/moderation.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from msgspec.structs import replace

from briefing.moderation.fastre import Gate, LazyGate, LazyRegex, compile_fast, compile_gate, view_flags
from briefing.moderation.findings import Finding, finding_from_view
from briefing.moderation.normalize import Normalized, View, is_hangul
from briefing.moderation.pii import office_number_context

# ---------------------------------------------------------------- links
URL = LazyRegex(
    r"(?:https?://|www\.)[^\s<>\"'가-힣]+"
    # a bare host, not the domain of an address spelt with an at word ("hong(골뱅이)naver.com": R1's)
    r"|(?<![\w@.\-])(?<!골뱅이\))(?<!골뱅이\s)(?<!\(at\))(?<!\[at\])"
    r"(?:[a-z0-9\-]+\.)+(?:com|net|kr|org|io|me|ly|gl|co|shop|store|xyz|top|site|club|bet|casino|"
    r"info|biz|link|to|gg|tv|cc|vip|live|pro|app|do|la|su|ru|asia|win|online|fun)(?:/[^\s<>\"'가-힣]*)?(?![\w])",
    re.IGNORECASE,
)
URL_SPOKEN = LazyRegex(
    r"(?<![가-힣a-z0-9\-])[a-z0-9\-]{3,}\s?(?:닷\s?컴|닷\s?넷|닷\s?케이알|점\s?컴|\.\s?컴)", re.IGNORECASE
)
OFFICIAL_HOST = LazyRegex(
    r"(?:^|\.)(?:go\.kr|korea\.kr|gov\.kr|mil\.kr|ac\.kr|re\.kr|or\.kr|assembly\.go\.kr)$"
)
SHORTENER_HOST = LazyRegex(
    r"^(?:bit\.ly|goo\.gl|tinyurl\.com|han\.gl|me2\.do|vo\.la|url\.kr|t\.ly|is\.gd|buly\.kr|ow\.ly|"
    r"cutt\.ly|rb\.gy|shorturl\.at|tiny\.cc|t\.co|lrl\.kr|abit\.ly|c11\.kr|zrr\.kr|naver\.me|kko\.to)$"
)
EXECUTABLE_PATH = LazyRegex(r"\.(?:exe|apk|msi|scr|bat|cmd|dmg|jar|vbs|ps1|com)(?:$|\?)", re.IGNORECASE)
NEWS_HOST = LazyRegex(
    r"(?:news\.naver\.com|n\.news\.naver\.com|v\.daum\.net|news\.v\.daum\.net|yna\.co\.kr|chosun\.com|joongang\.co\.kr|"
    r"donga\.com|hani\.co\.kr|khan\.co\.kr|kbs\.co\.kr|imbc\.com|mbc\.co\.kr|sbs\.co\.kr|ytn\.co\.kr|jtbc\.co\.kr|"
    r"hankyung\.com|mk\.co\.kr|newsis\.com|news1\.kr|nocutnews\.co\.kr|ohmynews\.com|mt\.co\.kr|edaily\.co\.kr|"
    r"asiae\.co\.kr|seoul\.co\.kr|kmib\.co\.kr|munhwa\.com|segye\.com|hankookilbo\.com|pressian\.com|sedaily\.com|"
    r"fnnews\.com|heraldcorp\.com|etnews\.com|zdnet\.co\.kr|newspim\.com|yonhapnewstv\.co\.kr|mbn\.co\.kr|"
    r"ichannela\.com|tvchosun\.com|bbc\.com|cnn\.com|nytimes\.com)$"
)
ADULT_LINK = LazyRegex(r"porn|xxx|sex|yadong|adult|av\d|19\+|hentai|nude|야동", re.IGNORECASE)
AD_LINK = LazyRegex(
    r"toto|casino|bet|slot|baccarat|bacara|poker|holdem|shop|store|mall|smartstore|coupang|11st|gmarket|auction|"
    r"aliexpress|temu|market|deal|sale|loan|money|cash|invest|coin|trade|promo|event",
    re.IGNORECASE,
)
MESSENGER_HOST = LazyRegex(
    r"^(?:open\.kakao\.com|pf\.kakao\.com|qr\.kakao\.com|t\.me|telegram\.me|line\.me|band\.us)$"
)
SELF_PROMO_HOST = LazyRegex(
    r"(?:youtube\.com|youtu\.be|blog\.naver\.com|m\.blog\.naver\.com|cafe\.naver\.com|instagram\.com|tistory\.com|"
    r"facebook\.com|tiktok\.com|twitch\.tv|afreecatv\.com|x\.com|twitter\.com|brunch\.co\.kr)$"
)


# Every URL match holds "://", "www." or a letter/digit, a dot and a letter; every spoken link holds
# 닷 or 컴 (checked exhaustively against URL and URL_SPOKEN).  A dot alone passed a third of comments.
_LINK_HINT = re.compile(r"://|www\.|[a-z0-9\-]\.[a-z]|닷|컴", re.IGNORECASE)


def _host(url: str) -> str:
    rest = re.sub(r"^(?:https?://)", "", url, flags=re.IGNORECASE)
    host = re.split(r"[/?#:]", rest, maxsplit=1)[0].lower()
    return host[4:] if host.startswith("www.") else host


def find_links(norm: Normalized) -> list[Finding]:
    """Every link, classified by host: official (nothing), news (R7), ad/messenger/adult/executable…"""
    out: list[Finding] = []
    base = norm.base
    text = base.text
    if "." not in text and "/" not in text and "닷" not in text and "컴" not in text:
        return out  # C-level literal tests first: most comments have none of these
    if not _LINK_HINT.search(text):
        return out
    for m in URL.finditer(base.text):
        url = m.group(0).rstrip(".,)]}>'\"")
        end = m.start() + len(url)
        host = _host(url)
        if not host or OFFICIAL_HOST.search(host):
            continue
        path = url[len(url.split("/", 3)[0]) :] if "://" not in url else url.split("://", 1)[1]

        def add(rule: int, label: str, score: float, start: int = m.start(), stop: int = end) -> None:
            out.append(finding_from_view(base, norm.original, start, stop, rule, f"link.{label}", score))

        if EXECUTABLE_PATH.search(path.split("/", 1)[-1] if "/" in path else ""):
            add(5, "executable", 0.95)
        elif ADULT_LINK.search(url):
            add(3, "adult", 0.95)
        elif MESSENGER_HOST.search(host):
            add(6, "messenger", 0.95)
        elif SHORTENER_HOST.search(host):
            add(5, "shortener", 0.75)
        elif NEWS_HOST.search(host):
            add(7, "news", 0.7)
        elif AD_LINK.search(url):
            add(6, "shop", 0.93)
        elif SELF_PROMO_HOST.search(host):
            add(6, "self_promotion", 0.65)
        elif not re.search(r"누리집|홈페이지|공지|웹사이트", base.text[max(0, m.start() - 12) : m.start()]):
            add(6, "unknown", 0.6)
    for m in URL_SPOKEN.finditer(base.text):
        out.append(finding_from_view(base, norm.original, m.start(), m.end(), 6, "link.spoken", 0.85))
    return out


# ---------------------------------------------------------------- cue lists
# (regex, weight, label, view) — weights combine as a noisy-or; strong cues decide alone.
Cue = tuple[re.Pattern[str], float, str, str]


class CueSet:
    """Cues plus, per view, one alternation of all of them: a comment with no cue at all (most of
    them) costs one scan per view instead of one per cue.  Where it pays (measured), a two-character
    gate (fastre.Gate) answers first that no cue can match.  Everything is compiled on first use:
    the single cues only when a comment has some cue, which most never do."""

    def __init__(self, rows: Iterable[tuple[str, float, str, str]], gated: tuple[str, ...] = ()) -> None:
        self.rows = list(rows)
        self.gated = gated
        self._any: dict[str, re.Pattern[str]] | None = None
        self._gates: dict[str, Gate] = {}
        self._cues: tuple[Cue, ...] | None = None

    @property
    def any_cue(self) -> dict[str, re.Pattern[str]]:
        if self._any is None:
            alternations = {
                view: "|".join(f"(?:{p})" for p, _, _, v in self.rows if v == view)
                for view in sorted({v for _, _, _, v in self.rows})
            }
            flags = {view: view_flags(view, p) for view, p in alternations.items()}
            gates = {view: compile_gate(alternations[view], flags[view]) for view in self.gated}
            self._gates = {view: gate for view, gate in gates.items() if gate is not None}
            self._any = {view: compile_fast(p, flags[view]) for view, p in alternations.items()}
        return self._any

    @property
    def gates(self) -> dict[str, Gate]:
        _ = self.any_cue
        return self._gates

    @property
    def cues(self) -> tuple[Cue, ...]:
        if self._cues is None:
            self._cues = tuple(
                (compile_fast(p, view_flags(view, p)), w, label, view) for p, w, label, view in self.rows
            )
        return self._cues

    def present(self, norm: Normalized) -> dict[str, bool]:
        out = {}
        for name, regex in self.any_cue.items():
            text = (norm.squeezed if name == "sq" else norm.base).text
            gate = self._gates.get(name)
            out[name] = (gate is None or gate.may_match(text)) and regex.search(text) is not None
        return out


def _cues(rows: Iterable[tuple[str, float, str, str]], gated: tuple[str, ...] = ()) -> CueSet:
    return CueSet(rows, gated)


OFFER = (
    r"(?:팝니다|팔아요|팔아용|판매합니다|판매해요|판매중|판매\s?문의|삽니다|사요|구해요|구합니다|구함|드립니다|드려요|드림|"
    r"해드립니다|해드려요|대행합니다|대행해요|받으세요|받아가세요|다운받으세요|공유합니다|공유해요|공유드|링크|주소|무료로|"
    r"최저가|당일\s?배송|배송\s?(?:가능|해\s?드|합니다|해요)|"
    r"문의\s?주세요|연락\s?주세요|연락주|문의\s?ㄱ|(?<![가-힣ㄱ-ㅎ])ㄱ(?![가-힣ㄱ-ㅎ])|여기서|뿌립니다|뿌려요|거래\s?가능|직거래|던지기|좌표|g당|그램당|"
    r"텔레|카톡|dm|디엠|가능합니다|있습니다\s?연락)"
)
MESSENGER_ID = (
    r"(?<![a-z0-9./_=?&-])(?:카[\W\d_]?톡|k톡|카\W?카\W?오\W?톡|카카오\s?(?:아이디|id)|katalk|kakaotalk|kakao\s?id|"
    r"텔\W?레(?:\W?그\W?램)?|telegram|텔\W?그|라인\s?(?:아이디|id)|line\s?id|위챗|wechat|오\W?픈\W?(?:채\W?팅|톡|카\W?톡)|"
    r"ㅋㅌ|ㅋㅋㅇㅌ|ㅌㄹ|디엠|dm)(?![a-z])"
    r"\s*(?:(?:아이디|id|주소)(?:는|은)?|친추|검색)?\s*[:：=\-→>]*\s*@?(?=[a-z0-9_.]*[a-z])[a-z0-9_.]{3,30}(?![a-z0-9_.])"
)
# "제 카톡은 hong1234 이에요": a messenger named with a particle, then an ID with letters and digits.
# Held for review alone (a version can look the same: "카톡은 ios17 에서" is one, by the word after it),
# an ad with an offer beside it.
MESSENGER_ID_AFTER_PARTICLE = (
    r"(?<![a-z0-9./_=?&-])(?:카톡|카카오톡|텔레그램|텔레|라인|위챗)(?:은|는|이|도)\s*"
    r"(?=[a-z0-9_]*\d)[a-z][a-z0-9_]{4,29}(?![a-z0-9_.])(?!\s?(?:에서|버전|이후|부터|이상|이하|업데이트))"
)
# An Instagram handle is how public accounts are named too ("인스타 @seoul_official 계정에 공지"): alone it
# is held for review, with an offer or promotion words it is an ad.
SOCIAL_HANDLE = (
    r"(?<![a-z0-9./_=?&-])(?:인스타(?:그램)?|insta(?:gram)?)(?![a-z])"
    r"\s*(?:아이디|id|계정)?\s*[:：=\-→>]*\s*@?(?=[a-z0-9_.]*[a-z])[a-z0-9_.]{3,30}(?![a-z0-9_.])"
)
CONTACT_NUMBER = r"(?<!\d)(?:01[016789]|0[2-6]\d?|070|050\d|1[568]\d\d)[\s\-.ㅡ]?\d{3,4}[\s\-.ㅡ]?\d{4}(?!\d)"

AD_CUES = _cues(
    [
        (MESSENGER_ID, 0.95, "messenger_id", "base"),
        (MESSENGER_ID_AFTER_PARTICLE, 0.75, "messenger_id", "base"),
        (SOCIAL_HANDLE, 0.7, "social_handle", "base"),
        # asking to be followed; "팔로우 했어요" says the commenter followed (an official account, often)
        (r"(?:인스타|insta)[^\n]{0,40}?(?:친추|팔로우?(?!우|\s?(?:했|하고\s?있|하는\s?중|중))|맞팔|선팔|놀러\s?오|구경\s?오|"
         r"디엠|dm\s?(?:주|ㄱ))", 0.93, "social_offer", "sq"),
        # "오픈채팅방 링크 들어오세요" offers; "오픈채팅방 링크 공유 부탁드려요" asks
        (r"오픈\s?채팅\s?(?:방)?\s?(?:검색|참여|입장|들어오|링크(?!\s?(?:공유\s?)?(?:부탁|좀|주세요|주실|있나요|있을까요|알려)))|"
         r"오픈톡\s?(?:검색|참여)", 0.9, "open_chat", "sq"),
        (CONTACT_NUMBER, 0.45, "contact_number", "base"),
        (r"(?:카지노|도박|슬롯|바카라|홀덤|사설)\s?(?:사이트)?\s?(?:추천|주소|가입)\s?(?:해\s?드림|드립니다|드려요|합니다|해요|ㄱ)|"
         r"소액\s?결제\s?현금화|정보\s?이용료\s?현금화|신용\s?카드\s?현금화|휴대폰\s?소액|콘텐츠\s?이용료\s?현금|"
         r"프로필\s?(?:링크|참조|확인|방문|클릭)|링크(?:는|은)?\s?프로필", 0.93, "offer", "sq"),
        # Amounts are read on the base view: the squeezed view drops one or two digits between Hangul
        # as fillers ("월50만원" reads 월만원 there).
        # "월 300 벌기" sells; "월 300만원 버는 자영업자는 제외인가요" asks about an income limit
        (r"월\s?\d{2,4}\s?(?:만\s?원?)?\s?(?:벌기|벌어\s?(?:가|보|드)|버는\s?(?:방법|법|비법|노하우|꿀팁|알바|부업))",
         0.93, "offer", "base"),
        (r"(?:카톡|ㅋㅌ|텔레|텔레그램|디엠|dm)\s?(?:주세요|문의|상담|ㄱ|친추|연락|주시면|환영)", 0.75, "messenger_contact", "sq"),
        (r"바카라|꽁머니|첫충|매충|먹튀\s?검증|카지노\s?(?:사이트|주소|가입|보너스|쿠폰|첫)|"
         r"온라인\s?카지노|슬롯\s?사이트|파워볼|홀덤\s?사이트|스포츠\s?픽|배팅\s?사이트|베팅\s?사이트|가입\s?머니|"
         r"입플|먹튀\s?없는|안전\s?놀이터|메이저\s?놀이터", 0.95, "gambling", "sq"),
        (r"롤링\s?\d", 0.95, "gambling", "base"),
        (r"카지노|슬롯|배팅|베팅|먹튀|홀덤|놀이터|환전", 0.35, "gambling_word", "sq"),
        # the squeezed view reads 토토 as 토, so the sports-toto words are matched as typed
        (r"사설\s?토토|토토\s?(?:사이트|추천|주소|가입|총판|픽)", 0.95, "gambling", "base"),
        (r"토토(?!로)", 0.35, "gambling_word", "base"),
        # 토토 evaded ("토.토 사.이.트") reads 토 사이트 in the squeezed view
        (r"(?<![가-힣])토\s?사이트", 0.95, "gambling", "sq"),
        (r"급전|일수\s?대출|개인돈|작업\s?대출|대출\s?문의|무직자\s?대출|당일\s?대출|비대면\s?대출|신불자\s?대출|"
         r"저신용\s?대출|소액\s?대출|대출\s?(?:가능|승인|한도)\s?(?:문의|상담)|당일\s?(?:승인|입금|지급)|"
         r"무직자\s?(?:가능|ok|환영)|신용\s?(?:무관|불량\s?가능)", 0.93, "loan", "sq"),
        (r"대출|(?<![가-힣ㄱ-ㅎ])ㄷㅊ(?![가-힣ㄱ-ㅎ])|저금리|한도|무직자|신용\s?불량|승인|주부\s?가능|누구나\s?가능|비대면", 0.3, "loan_word", "sq"),
        (r"리딩방|주식\s?리딩|코인\s?리딩|무료\s?리딩|수익\s?(?:보장|인증)|원금\s?보장|재택\s?(?:알바|부업|근무\s?모집)|"
         r"고수익\s?알바|고액\s?알바|꿀알바|부업\s?(?:문의|모집|추천)|팔로워\s?(?:구매|판매|늘려)|좋아요\s?(?:구매|판매)|리뷰\s?알바|"
         r"타이핑\s?알바|(?:리뷰|후기|평점)\s?조작\s?(?:알바|작업\s?(?:모집|구함|구합니다))|부업\s?하실|알바\s?모집|수익\s?내는\s?방법", 0.93, "side_job", "sq"),
        (r"하루\s?\d+\s?(?:시간|분)\s?(?:투자|만)?\s?(?:월|일)\s?\d+", 0.93, "side_job", "base"),
        # an amount a month or a day is what citizens ask about ("하루 5만원 지원금은 너무 적어요", "월 100만원
        # 보장 정책 도입하나요"): it only adds to an offer, an ID or a contact
        (r"월\s?\d+\s?(?:만|백|천)\s?(?:원)?\s?(?:보장|수익|벌)|하루\s?\d+\s?만\s?원", 0.45, "amount_word", "base"),
        (r"부업|알바|고수익|수익률|재택|투잡|n잡|용돈\s?벌", 0.3, "side_job_word", "sq"),
        (r"일당\s?\d+", 0.3, "side_job_word", "base"),
        (r"[\[(【]\s?광고\s?[\])】]|광고\s?문의|홍보\s?문의|제휴\s?문의|가입\s?코드|추천인\s?코드|추천\s?코드|"
         r"입금\s?보너스|할인\s?코드|쿠폰\s?코드|최저가\s?보장|무료\s?(?:상담|체험|증정)|지금\s?바로\s?(?:가입|신청|문의|클릭)|"
         r"구독\s?(?:부탁|해\s?주세요|좋아요)|제\s?(?:유튜브|블로그|채널|인스타)|"
         r"(?:유튜브|블로그|인스타|채널)\s?(?:놀러|구경|방문)\s?오세요|네이버에\s?.{1,12}\s?검색", 0.9, "promotion", "sq"),
        (r"상담|문의|연락|클릭|바로가기|가입|이벤트|할인|최저가|특가|홍보|방문\s?하세요|판매|구매|주문|입금|보너스|"
         r"무료|혜택|수익|검색|선착순|렌탈|설치|견적|시공|출장|예약", 0.2, "promotion_word", "sq"),
        # what ads promise, and affiliate programmes: complaints name them too ("쿠팡 파트너스 링크 도배 좀
        # 막아주세요"), so they only add to an offer, an ID or a contact
        (r"(?:감량|효과|합격)\s?보장|쿠팡\s?파트너스|체험단\s?모집", 0.45, "promise_word", "sq"),
    ],
    gated=("sq",),
)  # fmt: skip

PIRACY_OFFER = _cues(
    [
        (r"(?:토렌트|torent|크랙|crack|키젠|keygen|와레즈|warez|시리얼\s?키|시디키|cd\s?키|정품\s?인증|인증\s?우회|"
         r"에임핵|월핵|(?:게임|배그|롤|발로란트|오버워치|피파)\s?핵|해킹|디도스|(?<![a-z-])dos(?![a-z])|악성\s?코드|랜섬웨어|바이러스|웹하드|다시\s?보기|불법\s?다운|복제판|"
         r"무료\s?영화|넷플릭스|디즈니|유튜브\s?프리미엄|쿠팡플레이|티빙)[^.!?\n]{0,15}?" + OFFER, 0.93, "piracy_offer", "sq"),
        (r"(?<![가-힣])누\s?티비|nono\s?(?:tv|티비)|티비\s?위키|오케이툰|밤토끼|어른아이닷컴|뉴토끼|마나토끼|북토끼|tvwiki|링크\s?모음\s?사이트|"
         r"keygen|warez|와레즈|크랙\s?(?:버전|파일|다운|판)|정품\s?인증\s?(?:툴|크랙|우회)|kms\s?(?:auto|pico)|"
         r"계정\s?(?:판매|양도|대여|팝니다|삽니다)|해킹\s?(?:의뢰|대행|툴\s?판매|해\s?드립니다|해드립니다)|"
         r"디도스\s?(?:대행|공격\s?해\s?드)|(?<![a-z-])dos\s?(?:대행|service)|"
         r"(?:아이디|계정|카톡|인스타|메일|비번)\s?(?:비번\s?)?털어\s?(?:드립니다|드려요|드림|줍니다|드릴게)|"
         r"(?:랜섬웨어|악성\s?코드|바이러스|해킹\s?툴|디도스\s?툴)\s?(?:제작|개발)\s?(?:의뢰|해\s?드|합니다|받습니다|대행|문의)",
         0.95, "piracy", "sq"),
        # how to pirate, asked or told ("토렌트로 최신 영화 다운받는 법"): held for review
        (r"(?:토렌트|torent|불법\s?다운|다시\s?보기\s?사이트)[^.!?\n]{0,15}?"
         r"(?:다운\s?(?:받는|하는)\s?(?:법|방법|곳|사이트)|보는\s?(?:법|방법|곳|사이트)|사이트\s?(?:추천|알려|공유))",
         0.75, "piracy_howto", "sq"),
    ],
    gated=("sq",),
)  # fmt: skip

CRIME = _cues(
    [
        (r"(?:마약|대마초?|필로폰|히로뽕|케타민|엑스터시|mdma|lsd|코카인|헤로인|물뽕|ghb|졸피뎀|펜타닐|합성\s?대마|작대기|"
         r"ㅍㅇㅍ|떨|아이스|사티바|허브|액상|비아그라|시알리스|낙태약|미프진|다이어트\s?약|식욕\s?억제|수면제|"
         r"전문\s?의약품)[^.!?\n]{0,15}?" + OFFER, 0.93, "drugs", "sq"),
        # prescription medicine sold or sought without one
        (r"처방(?:전)?\s?없이\s?(?:판매|구매|구해|구합|구함|팝니다|팔아요|삽니다|드립니다|배송|가능)", 0.93, "drugs", "sq"),
        (r"(?:총기|권총|소총|엽총|실탄|총알|폭탄|사제\s?폭탄|사제\s?총|폭발물|수류탄|화약|석궁|전기\s?충격기|가스총|도검)"
         r"[^.!?\n]{0,12}?(?:팝니다|판매합니다|구합니다|삽니다|만드는\s?법|제조법|만들기|제작법|구매\s?가능|구입\s?방법|"
         r"만드는\s?방법|제조\s?방법|드립니다)|총\s?(?:구합니다|구해요|구함|팝니다|삽니다)", 0.93, "weapons", "sq"),
        (r"(?:너|니|네|당신|니들|너희|느그|저놈|저\s?새끼|저년|그놈|이놈|니네|너네)\S{0,6}\s?(?:\S{1,8}\s){0,2}"
         r"(?:죽여\s?버리|죽여버|죽이겠|죽일\s?거|죽인다|찔러\s?(?:죽|버)|쏴\s?(?:죽|버)|패\s?(?:죽|버리)|때려\s?죽|"
         r"묻어\s?버리겠|가만\s?안\s?둔|가만두지\s?않겠|찾아\s?(?:간다|가서|갈\s?거|가겠))", 0.93, "threat", "sq"),
        (r"(?:집|회사|사무실|직장|주소)\S{0,4}\s?찾아\s?(?:간다|가서|갈\s?거|가겠)|찾아가서\s?(?:죽|패|때|혼|조져|족쳐)|"
         r"폭파\s?(?:하겠|해\s?버리겠|시키겠|할\s?거다|한다)|테러\s?(?:하겠|할\s?거다|하러\s?간다)|"
         r"칼\s?들고\s?(?:간다|찾아)|살해\s?(?:하겠|할\s?거다)|목\s?따\s?(?:버리겠|줄게)|"
         # a bomb placed or about to go off, an assassination called for: said, not reported ("폭발물 설치 의심 신고")
         r"(?:폭탄|폭발물)(?:을|를)?\s?(?:설치했|설치해\s?놨|설치할\s?거|설치하겠|터뜨리겠|터뜨릴\s?거|터트리겠|터트릴\s?거|"
         r"던지겠|던질\s?거|심어\s?놨)|암살\s?(?:하자|해야|하겠|할\s?거|해\s?버리|시키자|시켜야)", 0.93, "threat", "sq"),
        (r"죽여\s?버리|죽여버|죽이겠|죽일\s?거|칼로\s?찔러|찔러\s?죽|쏴\s?죽|총으로\s?쏴|불\s?(?:질러\s?버리겠|지르겠)|"
         r"묻어\s?버|패\s?죽|때려\s?죽|죽여야\s?(?:해|한다|됨|돼)|조져\s?버|족쳐\s?버|"
         r"화염병\s?(?:을|를)?\s?(?:던지자|던져|만들어\s?(?:서|던|가))", 0.8, "threat_words", "sq"),
        # violence for hire: said as an offer ("청부 살인 해드립니다"), not the news of one ("청부살인 사건 판결")
        (r"청부\s?(?:살인|폭행|폭력|테러)\s?(?:해\s?드|합니다|대행|받습니다|의뢰\s?(?:받|환영|주세요))|"
         r"(?:살인|폭행|보복)\s?(?:대행|해\s?드립니다|해\s?드려요)", 0.93, "violence_offer", "sq"),
        (r"(?:위조\s?(?:신분증|여권|지폐|졸업장|서류|문서|진단서)|대포\s?(?:통장|폰|차|유심)|명의\s?대여|수거책|인출책|전달책|내구제|카드\s?깡|상품권\s?깡|휴대폰\s?깡|"
         r"작업\s?대출)[^.!?\n]{0,15}?" + OFFER, 0.93, "fraud_offer", "sq"),
        (r"통장\s?(?:매입|삽니다|대여|양도|팝니다|구매|임대)|"
         r"(?:보이스\s?피싱|피싱)\s?(?:알바|모집|구인)|개인\s?정보\s?(?:판매|팝니다|삽니다)|db\s?(?:판매|팝니다)|"
         r"(?:신분증|졸업장|졸업\s?증명서|여권|진단서|재직\s?증명서|성적\s?증명서|면허증)\s?위조\s?"
         r"(?:가능|해\s?드|합니다|대행|전문|문의|해요)|신분증\s?(?:판매|구매|팝니다)|"
         r"가짜\s?(?:신분증|졸업장|진단서|번호판)\s?(?:팝|판매|제작|만들어)|현금\s?수거\s?알바|"
         r"대리\s?입금\s?알바|유심\s?(?:판매|매입|삽니다)|"
         # a voice-phishing gang's mules recruited ("인출책 모집 고수익"), military service dodged to order
         r"(?:수거책|인출책|전달책|운반책)\s?(?:모집|구인|구함|구합니다|구해요|알바)|"
         r"대리\s?(?:입영|입대|신검|신체\s?검사)\s?(?:해\s?드|가능|대행|합니다|문의)|병역\s?(?:면제|기피)\s?(?:해\s?드|시켜\s?드|보장|브로커|대행)",
         0.93, "fraud", "sq"),
        # organs for sale; 장기 is also "long term" (장기 매입임대), so only its plain offers, held for review
        # (매매 reads 매 in the squeezed view)
        (r"(?:신장|콩팥|각막)\s?(?:팝니다|팔아요|삽니다|구합니다|매\s?(?:문의|합니다|가능))", 0.93, "organ_trade", "sq"),
        (r"(?<!\w)장기\s?(?:팝니다|팔아요|삽니다|매\s?(?:문의|상담|합니다|가능|해요))", 0.8, "organ_trade", "sq"),
        (r"신상\s?(?:털어\s?버|털었|털자|털어서|털어야|까발|퍼뜨|뿌린|뿌릴|캐서|공개\s?(?:할게|한다|해\s?버|합니다))|"
         r"(?:집|회사)\s?주소\s?(?:알아냈|알아내서|알아내자|털었|공개한다|공개할게|까발|뿌린|뿌릴)|"
         r"(?:얼굴|사진|번호|주소)\s?(?:뿌린다|뿌릴게|퍼뜨릴|공개한다|공개할게)|좌표\s?(?:찍|공유)\s?(?:합니다|할게|한다)", 0.9, "doxxing", "sq"),
        # a menace without a verb of violence: "그 공무원 딸 학교 어딘지 안다"
        (r"(?:딸|아들|자식|가족|애|와이프|남편|부인)\s?(?:학교|집|회사|직장|학원)(?:가|이)?\s?(?:어딘지|어디인지|어디\s?있는지|어디\s?다니는지)\s?"
         r"(?:안다|알아|알고\s?있)", 0.8, "threat_words", "sq"),
    ],
    gated=("sq",),
)  # fmt: skip

IMPERSONATION_TEXT = _cues(
    [
        (r"(?:저는|제가|나는|본인은|필자는|저희는|(?<![가-힣])저(?!\s?(?:사람|인간|놈|분|새끼|년|양반|친구|아저씨|아줌마)))\s?(?:\S{1,12}\s){0,3}\S{0,10}"
         # staff of a ministry or agency (외교부 직원, 구청 직원) claim an office; 편의점 직원 does not
         r"(?:장관|차관|대변인|공무원|운영자|관리자|담당자|국장|과장|청장|실장|사무관|주무관|비서관|보좌관|운영진|관리팀|"
         r"경찰관?|검사|판사|관계자|"
         r"(?:(?<=[부처청])|(?<=[부처청]\s)|(?<=위원회)|(?<=위원회\s))직원)"
         r"(?:입니다|이에요|예요|인데요?|으로서|로서|이고|이며|임(?![가-힣])|이다|이올시다|이지만|이니|이라서|이라(?=\s))", 0.8, "self_claim", "sq"),
        (r"^\s?[\[【(]?\s?(?:운영자|관리자|정책브리핑|대변인실?|운영진|korea\.kr|공지|관리팀|운영팀)\s?[\]】)]|"
         r"(?:정책브리핑|운영자|관리자|운영진|운영팀)\s?(?:입니다|알림|공지(?:입니다|사항)|안내\s?드립니다)|"
         # "관세청 공식 계정입니다 아래 링크에서 환급 신청하세요": an agency's own account does not comment
         r"(?:\S{1,8}(?:부|처|청|위원회)|정부|정책브리핑)\s?공식\s?(?:계정|채널|아이디)(?:입니다|이에요|예요|에서\s?알려)",
         0.85, "office_claim", "sq"),
        # "외교부 장관 김철수입니다. 이 기사는 사실과 다릅니다": an office and a name introduced, then the news
        # answered; a speech in a release opens the same way ("고용노동부 장관 김영훈입니다.") and goes on
        # to its subject
        # (\S, not [가-힣]: each Hangul class costs ~0.7 ms to compile on a cold start)
        (r"^\s?(?:\S{1,8}(?:부|처|청|위원회)\s?)?(?:장관|차관|대변인|청장|처장|위원장|국장|과장|사무관|주무관)"
         r"(?:\s?\S{2,4})?(?:입니다|이에요|예요)(?!\s?(?:라고|라는|라며|하는|하고))(?=[^\n]{0,40}?(?:기사|댓글|보도|사안|논란|해명|사실과|오해|삭제))",
         0.8, "self_claim", "sq"),
        # speaking for an office without "I" ("청와대 관계자로서 말씀드리면")
        (r"(?:청와대|대통령실|총리실|[가-힣]{1,6}(?:부|처|청))\s?관계자(?:로서|입니다|인데요?)", 0.8, "self_claim", "sq"),
    ],
    gated=("sq",),
)  # fmt: skip
# read on the squeezed display name: 정부지지자 (a supporter, not the government) reads 정부지자 there
IMPERSONATION_NAME = LazyRegex(
    r"장관|차관|대변인|공무원|운영자|관리자|정책브리핑|운영진|관리팀|운영팀|청와대|대통령실|국무총리|총리실|국무조정실|"
    r"대통령|admin|moderator|operator|oficial|공식|korea\.?kr|정부(?!\s?(?:지자|비판|반대|팬|싫|좋))|담당자|사무관|주무관|국정원|경찰청|검찰청|"
    r"[가-힣]{1,8}(?:부|처|청|위원회)(?:\s?(?:대변인|공식))?$",
    re.IGNORECASE,
)

ACCUSATION = (
    r"(?:범죄자|사기꾼|사기\s?꾼|도둑놈|도둑년|날강도|도둑|매국노|전과자|성범죄자|성추행범|강간범|살인자|살인마|간첩|"
    r"횡령(?:했|한|하고|범|꾼|을\s?저지른|을\s?했)|배임(?:했|한|범)|뇌물(?:을)?\s?(?:받|먹|챙)|착복(?:했|한)|빼돌(?:렸|린|리고)|"
    r"뒷돈(?:을)?\s?(?:받|챙|먹)|해\s?먹(?:었|은|는)|비리(?:를\s?저지른|범|덩어리|백화점|의\s?온상|투성이|를\s?저질)|"
    # said of the person, not of a policy: "비리 공무원이다", "부패했음", "돈 받아먹었다"
    r"(?:비리|부패한?)\s?(?:공무원|공직자|관료|경찰|검사|판사|정치인|의원)(?:이다|이야|이라|이네|이지|이잖|이었|였|임(?![가-힣])|입니다|들이다|들임|놈|새끼)|"
    r"부패(?:했(?:다|음|어|네|지|잖)|한\s?(?:놈|인간|새끼|자식|것들))|"
    r"(?:돈|떡값|리베이트)(?:을|를)?\s?(?:받아\s?(?:먹|처먹|챙)|처먹|떼\s?먹|떼어\s?먹)|"
    # a bribe said to be seen taken, without the word 뇌물: "민원인한테 돈 받는 거 봤어요"
    r"(?:민원인|업자|업체|건설사|주민)들?(?:한테|에게|로부터)\s?(?:돈|금품|뒷돈|현금|상품권)(?:을|를)?\s?(?:받|챙|뜯)|"
    r"탈세(?:했|한|범)|비자금(?:을\s?)?(?:챙|조성)|부정\s?축재|사기(?:를)?\s?(?:쳤|친|치고|치는)|"
    # the squeezed view these patterns read has its repeats collapsed: 성매매 reads 성매, http htp, www w
    r"(?:마약|성매|음주운전|불륜|바람)(?:을|를)?\s?(?:했|한|하고)|"
    r"(?:감옥|교도소|빵)에?\s?(?:갔다\s?온|다녀온)|"
    r"표절(?:했|한|범|꾼|왕)|논문\s?조작|성(?:추행|폭행)(?:했|한|범)|갑질(?:했|한|꾼))"
)
PERSON_OR_ORG = (
    r"(?:[가-힣]{2,4}\s?(?:전\s?)?(?:의원|장관|차관|대통령|총리|시장|군수|구청장|도지사|청장|대표|회장|위원장|교수|판사|"
    r"검사|변호사|씨|국장|과장|이사장|사장|원장|총장|후보|당선인|기자|목사|의장|팀장|실장|부장|계장|처장|본부장|서장|센터장|"
    r"사무관|주무관|서기관)"
    r"|[가-힣a-z]{2,10}(?:그룹|전자|은행|건설|회사|재단|협회|병원|방송|일보|신문|공사|공단)"
    r"|(?<![가-힣])[김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육][가-힣]{1,2}(?=\s?(?:은|는|이|가|도|이는|이가|이도|놈|새끼)\s)"
    r"|[저이그]\s?(?:사람|인간|놈|새끼|년)"
    # "그 사장", "저 교수님": someone the readers know, by title
    r"|(?<![가-힣])[저이그]\s?(?:교수|의원|장관|사장|회장|대표|기자|공무원|시장|판사|검사|목사|원장|총장|국장|과장|"
    r"의사|작가|배우|가수)(?:님|놈|새끼)?(?:은|는|이|가|도)?(?![가-힣]))"
)
ACCUSATION_ANYWHERE = LazyRegex(fast=True, pattern=ACCUSATION)
ACCUSATION_GATE = LazyGate(ACCUSATION)
DEFAMATION = LazyRegex(fast=True, pattern=rf"{PERSON_OR_ORG}[^.!?\n]{{0,25}}?{ACCUSATION}")
SOURCED = LazyRegex(
    r"에\s?따르면|보도|기사|판결|기소|구속|유죄|검찰|경찰|법원|수사|재판|혐의|출처|htps?:|(?<![a-z])w\.[a-z0-9]|뉴스|선고|"
    r"확정"
)

ELECTION = LazyRegex(
    fast=True,
    pattern=r"(?:찍어|뽑아)\s?(?:주세요|주십시오|줍시다|주자)|낙선\s?(?:운동|시키자|시켜야)|"
    r"당선\s?(?:시키자|시켜\s?주세요)|투표\s?(?:인증|하면)\s?(?:시|하면)?\s?(?:돈|사례|상품권|현금)|금품\s?(?:제공|살포)|"
    r"돈\s?봉투|여론\s?조작\s?(?:알바|작업)|댓글\s?(?:알바|작업)\s?(?:모집|구함|구합니다)|"
    # an illegal gambling site is R12 too, but its evidence names it (the group tells finditer's matches apart)
    r"(?P<gambling>불법\s?(?:도박|사행성)\s?(?:사이트|주소)(?!\s?(?:단속|신고|근절|차단|처벌|조심|주의|피해|적발|폐쇄|규제|막|없애|수사|검거|광고\s?(?:신고|차단|막))))|사전\s?선거\s?운동",
)
ELECTION_GATE = LazyGate(ELECTION.pattern)
# ballot numbers are read on the base view: the squeezed view drops a digit between Hangul ("기호2번")
ELECTION_NUMBER = LazyRegex(r"기호\s?\d+\s?번|(?<!\d)\d+\s?번\s?(?:후보|찍)")
# The 5·18 special act makes spreading its distortion punishable ("5.18은 북한군 폭동"); "북한군 개입설은
# 거짓" refutes it
DISTORTION = LazyRegex(
    r"5\s?[.·]?\s?18[^.!?\n]{0,15}?(?:폭동(?!\s?(?:이\s?아니|아님|아니|아닙|아닌|이라는|이라고|설))|북한군\s?(?:이|의|개입|소행|짓)(?!설))"
)
# Praising North Korea's regime ("김정은 만세") is an offence under the National Security Act (찬양·고무);
# "김정은 만세 부르는 종북들" reports it
ENEMY_PRAISE = LazyRegex(
    r"(?:김정은|김정일|김일성|북한|북조선|인민\s?공화국|주체\s?사상|조선\s?로동당|로동당)\s?"
    r"(?:장군님?\s?|동지\s?|원수님?\s?)?(?:만세|영원하라)(?!\s?(?:부르|외치|라고|라는|하는|를\s?외|소리))|"
    r"위대한\s?(?:수령|영도자|장군님)|경애하는\s?(?:수령|원수님|김정은|김정일|김일성)"
)
ENEMY_PRAISE_GATE = LazyGate(ENEMY_PRAISE.pattern)
COPY_MARKERS = LazyRegex(
    r"기자\s?=|\[[가-힣]{2,8}=[가-힣]{2,8}\]|[가-힣]{2,4}\s?기자\s?[a-z0-9._]+@|무단\s?전재|재배포\s?금지|ⓒ|©|"
    r"copyright|저작권자|<저작권|\(끝\)|▶\s?관련\s?기사|기사\s?제보",
    re.IGNORECASE,
)


def _run_cues(cue_set: CueSet, norm: Normalized, rule: int, prefix: str) -> list[tuple[Finding, float]]:
    hits: list[tuple[Finding, float]] = []
    present = cue_set.present(norm)
    if not any(present.values()):
        return hits
    for regex, weight, label, view_name in cue_set.cues:
        if not present[view_name]:
            continue
        view: View = norm.squeezed if view_name == "sq" else norm.base
        for m in regex.finditer(view.text):
            if m.end() > m.start():
                finding = finding_from_view(
                    view, norm.original, m.start(), m.end(), rule, f"{prefix}.{label}", weight
                )
                hits.append((finding, weight))
    return hits


def _noisy_or(weights: Iterable[float]) -> float:
    miss = 1.0
    for w in weights:
        miss *= 1.0 - w
    return 1.0 - miss


def find_ads(norm: Normalized, review_at: float = 0.6) -> list[Finding]:
    """R6: strong cues decide alone; weak words (대출, 한도, 무료, 문의, 부업 …) only add to a cue that is
    not a word alone (an offer, a messenger ID, a contact number).  Words alone are the topics of
    policy questions ("청년 전세 대출 한도 얼마까지 가능한가요? 문의처 알려주세요"), and an ad always
    says where to go."""
    hits = [
        (f, w)
        for f, w in _run_cues(AD_CUES, norm, 6, "ads")
        if not (f.detector == "ads.contact_number" and office_number_context(norm.original, f.start))
    ]
    if not hits or all(f.detector.endswith("_word") for f, _ in hits):
        return []  # topic words alone
    # each distinct word counts once, and a label at most three times (무료 설치 상담 … is an ad;
    # one 상담 is not)
    best: dict[tuple[str, str], float] = {}
    for finding, weight in hits:
        key = (finding.detector, finding.text.replace(" ", ""))
        best[key] = max(best.get(key, 0.0), weight)
    per_label: dict[str, list[float]] = {}
    for (label, _), weight in best.items():
        per_label.setdefault(label, []).append(weight)
    total = _noisy_or(w for weights in per_label.values() for w in sorted(weights, reverse=True)[:3])
    if total < review_at:
        return []
    return [Finding(f.rule, f.start, f.end, f.text, f.detector, round(total, 3)) for f, _ in hits]


def find_piracy(norm: Normalized) -> list[Finding]:
    return [f for f, _ in _run_cues(PIRACY_OFFER, norm, 5, "piracy")]


# A sale reported, or asked to be stopped, names the same words as the sale ("마약 판매 텔레그램 방
# 신고했습니다"): held for review, not rejected.  Threats are not softened (their patterns already need
# the threat said, not reported), and an offer that mentions the police is still seen by a moderator.
REPORTED = LazyRegex(r"신고|수사|단속|검거|처벌|적발|근절|구속|기소|경찰|검찰|조심|주의")
CRIME_OFFERS = frozenset(
    {
        "crime.drugs",
        "crime.weapons",
        "crime.fraud_offer",
        "crime.fraud",
        "crime.violence_offer",
        "crime.organ_trade",
    }
)
REPORTED_SCORE = 0.7
_SENTENCE_END = re.compile(r"[.!?\n]")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``start``:``end``."""
    head = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    tail = _SENTENCE_END.search(text, end)
    return text[head : tail.start() if tail else len(text)]


def find_crime(norm: Normalized) -> list[Finding]:
    found = [f for f, _ in _run_cues(CRIME, norm, 8, "crime")]
    return [
        replace(f, score=min(f.score, REPORTED_SCORE))
        if f.detector in CRIME_OFFERS and REPORTED.search(_sentence(norm.original, f.start, f.end))
        else f
        for f in found
    ]


def find_impersonation(norm: Normalized, display_name: str | None) -> list[Finding]:
    found = [f for f, _ in _run_cues(IMPERSONATION_TEXT, norm, 9, "impersonation")]
    if display_name:
        from briefing.moderation.normalize import normalize

        name = normalize(display_name).squeezed.text.strip()
        m = IMPERSONATION_NAME.search(name)
        if m:
            # the span is in the display name, not in the comment: mark it with an empty span at 0
            found.append(Finding(9, 0, 0, f"[표시 이름] {display_name}", "impersonation.display_name", 0.8))
    return found


def find_defamation(norm: Normalized) -> list[Finding]:
    """R2: a named target + an accusation, with no source anywhere in the comment."""
    view = norm.squeezed
    if not ACCUSATION_GATE.may_match(view.text):
        return []
    if not ACCUSATION_ANYWHERE.search(view.text) or SOURCED.search(view.text):
        return []
    return [
        finding_from_view(view, norm.original, m.start(), m.end(), 2, "defamation.accusation", 0.7)
        for m in DEFAMATION.finditer(view.text)
    ]


def find_election(norm: Normalized) -> list[Finding]:
    """R12: election-law signals, illegal gambling sites, the distortion of 5·18, praise of North Korea's regime."""
    found = []
    base = norm.base
    if "번" in base.text:
        found = [
            finding_from_view(base, norm.original, m.start(), m.end(), 12, "law.election", 0.7)
            for m in ELECTION_NUMBER.finditer(base.text)
        ]
    if "18" in base.text:
        found += [
            finding_from_view(base, norm.original, m.start(), m.end(), 12, "law.distortion", 0.7)
            for m in DISTORTION.finditer(base.text)
        ]
    view = norm.squeezed
    if ENEMY_PRAISE_GATE.may_match(view.text):
        found += [
            finding_from_view(view, norm.original, m.start(), m.end(), 12, "law.enemy_praise", 0.7)
            for m in ENEMY_PRAISE.finditer(view.text)
        ]
    if not ELECTION_GATE.may_match(view.text):
        return found
    return found + [
        finding_from_view(
            view,
            norm.original,
            m.start(),
            m.end(),
            12,
            "law.gambling" if m["gambling"] else "law.election",
            0.7,
        )
        for m in ELECTION.finditer(view.text)
    ]


def find_copying(norm: Normalized, min_chars: int = 300) -> list[Finding]:
    """R7: a long text that carries the furniture of a news article (by-line, ⓒ, 무단 전재 금지)."""
    if len(norm.base.text) < min_chars:
        return []
    markers = list(COPY_MARKERS.finditer(norm.base.text))
    if len(markers) >= 2 or (markers and len(norm.base.text) >= 2 * min_chars):
        m = markers[0]
        return [
            finding_from_view(norm.base, norm.original, m.start(), m.end(), 7, "copy.news_furniture", 0.75)
        ]
    return []


# ---------------------------------------------------------------- R10 relevance
GENERIC = LazyRegex(
    r"정책|정부|국민|응원|감사|좋은|좋아|기사|지원|제도|나라|대한민국|우리|생각|의견|필요|바랍니다|합니다|합니까|"
    r"입니다|습니다|있습니다|없습니다|해주세요|주세요|하세요|네요|군요|어요|아요|정말|너무|진짜|항상|모두|이번|앞으로"
)


def hangul_bigrams(text: str) -> set[str]:
    grams = set()
    for word in text.split():
        letters = "".join(ch for ch in word if is_hangul(ch))
        for i in range(len(letters) - 1):
            grams.add(letters[i : i + 2])
    return grams


def relevance(comment: str, article: str) -> tuple[float, int]:
    """Share of the comment's content bigrams that the article also has, and how many there were."""
    from briefing.moderation.normalize import normalize

    cleaned = GENERIC.sub(" ", normalize(comment).squeezed.text)
    grams = hangul_bigrams(cleaned)
    if not grams:
        return 1.0, 0
    article_grams = hangul_bigrams(normalize(article).squeezed.text)
    return len(grams & article_grams) / len(grams), len(grams)


def find_offtopic(norm: Normalized, article: str | None, threshold: float, min_bigrams: int) -> list[Finding]:
    if not article:
        return []
    score, count = relevance(norm.original, article)
    if count < min_bigrams or score >= threshold:
        return []
    text = norm.original
    return [Finding(10, 0, len(text), text[:40], "relevance.article", round(1.0 - score, 3))]
