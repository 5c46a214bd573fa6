"""Two-CRM account data built from REAL company names, with ground truth, for ops/bench/dedupe.

Where the companies come from (all offline, read at bench time; nothing large is committed):
  * PyPI `pytickersymbols` 1.17.10 (`pytickersymbols/indices_data.py`, `INDICES`): ~1,800 listed
    companies of 20 indices (US, JP, DE, GB, FR, NL, ES, FI, CH, SE, BE, ...) with their real websites,
    headquarters and head counts. A US city/state in the country field becomes US; a company in
    several indices is one company (same name or same website).
  * Debian `ieee-data` 20220827.1 (`/usr/share/ieee-data/{oui,mam,oui36,iab}.csv`): ~28,000 distinct
    real organisation names (IEEE OUI registrants, strongly Chinese, Taiwanese, Korean, Japanese,
    German, US) with their postal address: city, postcode and ISO country are taken from it. The same
    organisation holds many blocks: identical names (up to case, punctuation, legal form and usual
    abbreviations) are one company, and so are spellings of one company (words reordered, one typo in a
    long word, `X (Shenzhen)` or `X - Division` or `X International` beside `X` in one country; see
    one_spelling), also against the listed companies. The IEEE lists no websites: the websites of these
    companies are DERIVED (the name's distinctive word + the country's ccTLD or .com), and many get none.
  * Debian `mobile-broadband-provider-info` 20230416-1 (`serviceproviders.xml`): mobile operators per
    country; a brand present in several countries (Vodafone, Orange, Movistar, T-Mobile, ...) is a
    separate company per country, on the brand + that country's ccTLD (derived), sometimes with no website.
  * Debian `iso-codes` 4.15.0-1 (`/usr/share/iso-codes/json/iso_3166-1.json` and its translations):
    country names, alpha-3 codes, official names and local names (Deutschland, 日本, 中国, ...).
  * Debian `publicsuffix` 20230209.2326-1 (`/usr/share/publicsuffix/public_suffix_list.dat`): registrable domains.
Phone numbers, alternate domains, tenant URLs, subsidiaries and legal twins are derived from these
names; nothing is fetched from the network.

Writes OUT/salesforce.csv, OUT/hubspot.csv, OUT/truth.csv (source, source_id, entity) in the shape
of generate_multicrm.py plus the columns both CRMs really export (Salesforce `Billing City`,
`Billing Zip/Postal Code`, `Phone`; HubSpot `City`, `Postal Code`, `Phone Number`), and
OUT/classes.csv (entity, class): the noise or hard case each entity was built to exercise, one row
per class ("plain" when none). About a third of the companies are in both CRMs, a third in each
alone, ~2.5% have a duplicate inside one CRM. Deterministic for a seed.

Classes (each on roughly 5-15% of the entities; brand_country is limited by the operators listed):
  platform       website on a multi-tenant host (acme.wordpress.com, sites.google.com/view/acme,
                 www.linkedin.com/company/acme, ...): the same tenant in both CRMs, or the tenant in
                 one and the real domain in the other; different companies never share a tenant
  alt_domain     two domains of one company (siemens.de / siemens.com, netscout.com / netscoutsystems.com)
  typed_name     names as CRM users type them: abbreviations (Intl, Mfg, Tech, Hldgs, ...), dropped
                 descriptor words, location qualifiers, legal forms added/dropped/changed,
                 transliterations (ü→ue, é→e, ß→ss), case and punctuation, one-letter typos
  city_prefix    hard negative: real "Shenzhen X Technology Co., Ltd" / "Shenzhen Y Technology Co., Ltd"
  legal_twin     hard negative: "Acme GmbH" acme.de / "Acme AG" acme-ag.de, same country (both always have
                 a domain; their records rarely lack it and never show free-mail)
  subsidiary     hard negative: "Siemens" / "Siemens Healthineers" (real), "X" / "X Bank" (derived)
  brand_country  hard negative: one operator brand, a separate company per country
  franchise      hard negative: a franchise branch on the corporate domain, flagged Prevent Override
  country        (on top of the above) a record holds an unusual country spelling: P.R. China,
                 Taiwan, R.O.C., S. Korea, alpha-3 codes, official and local names (日本, Deutschland)
  blank_country  (on top of the above) a record has no country
Every record also gets the background noise of generate_multicrm.py: ~18% no website, ~5% free-mail
"websites" (also the local ones: qq.com, 163.com, naver.com, yahoo.co.jp, yahoo.com.tw, web.de, ...),
URL variants (scheme, www, paths, us./shop. subdomains), legal forms and case, 2% typos; city (~75% of
records, sometimes local or upper case), postcode (~55%, spreadsheet-eaten zeros) and phone (~60%, many
formats, sometimes another line). A name variant never reads as another company's name, and a country
is left blank only where the name or website still tells the company apart.

    python3 generate_realcrm.py COMPANIES OUT_DIR [SEED]
"""
import csv
import gettext
import glob
import json
import os
import random
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
IEEE = "/usr/share/ieee-data"
MBPI = "/usr/share/mobile-broadband-provider-info/serviceproviders.xml"
ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
PSL_FILE = "/usr/share/publicsuffix/public_suffix_list.dat"


def need(path, package):
    if not os.path.exists(path):
        sys.exit(f"generate_realcrm: {path} is missing: apt-get install {package}")


def load_indices():
    try:
        from pytickersymbols.indices_data import INDICES
    except ImportError:
        for site in sorted(glob.glob(os.path.join(ROOT, ".venv-bench/lib/python3*/site-packages"))):
            sys.path.append(site)
        try:
            from pytickersymbols.indices_data import INDICES
        except ImportError:
            sys.exit("generate_realcrm: pytickersymbols is missing: pip install pytickersymbols==1.17.10 (ops/bench/dedupe does it in .venv-bench/)")
    return INDICES


# ---------------------------------------------------------------- text

def fold(text):
    """ASCII lower case: accents dropped, ß→ss, ø→o, & → and, punctuation → space."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "AE").replace("ł", "l")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ").replace("+", " and ")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


ABBREVIATIONS = {  # typed form → the word it stands for (also used to recognise one company)
    "hldgs": "holdings", "hldg": "holdings", "holding": "holdings", "mfg": "manufacturing", "intl": "international",
    "tech": "technology", "technologies": "technology", "techn": "technology", "sys": "systems", "system": "systems",
    "svcs": "services", "svc": "services", "service": "services", "labs": "laboratories", "lab": "laboratories",
    "laboratory": "laboratories", "inds": "industries", "ind": "industries", "industry": "industries",
    "industrial": "industries", "elec": "electronics", "electronic": "electronics", "eng": "engineering",
    "engg": "engineering", "comms": "communications", "communication": "communications", "assoc": "associates",
    "bros": "brothers", "dev": "development", "equip": "equipment", "mgmt": "management", "natl": "national",
    "prods": "products", "product": "products", "grp": "group", "gp": "group", "corp": "corporation",
    "mfr": "manufacturing", "manufacture": "manufacturing", "elect": "electronics", "ent": "enterprises",
    "enterprise": "enterprises", "solution": "solutions", "intel": "intel",
}
LEGAL_WORDS = {
    "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corporation", "co", "company", "plc", "gmbh", "mbh",
    "ag", "kg", "kgaa", "se", "sa", "sas", "sasu", "sarl", "sl", "slu", "sau", "spa", "srl", "nv", "bv", "oy", "oyj",
    "ab", "publ", "asa", "aps", "kk", "gk", "kabushiki", "kaisha", "pty", "pvt", "private", "pte", "sdn", "bhd",
    "berhad", "sp", "zoo", "cv", "ltda", "sro", "kft", "zrt", "doo", "jsc", "ooo", "tbk", "pt", "sti", "as", "de",
    "z", "o", "a", "s", "r", "l", "c", "v", "and", "sac", "eirl", "bvba", "vof", "ug", "ohg", "sgps", "lda",
    "lnc",  # `Inc.` misread as `lnc.` in the IEEE list itself
}
LEGAL_SAFE = {"de", "z", "o", "a", "s", "r", "l", "c", "v", "and", "pt"}  # legal-form words only after another one
DESCRIPTORS = {
    "systems", "technology", "group", "holdings", "international", "solutions", "industries", "enterprises",
    "services", "global", "worldwide", "corporation", "company",
}


def key_words(name):
    words, single = [], False
    for w in fold(name).split():   # letters typed with dots run together: `S.p.A.` → spa, `Sp. z o.o.` → sp zoo
        if single and len(w) == 1 and w.isalpha():
            words[-1] += w
        else:
            words.append(w)
            single = len(w) == 1 and w.isalpha()
    words = [ABBREVIATIONS.get(w, w) for w in words]
    while len(words) > 1 and words[0] in ("the", "kabushiki", "kaisha", "kk", "pt", "jsc", "ooo", "oao", "zao", "pao", "ao", "pjsc", "tov"):
        words.pop(0)
    stripped = False
    while len(words) > 1 and words[-1] in LEGAL_WORDS and (stripped or words[-1] not in LEGAL_SAFE):
        words.pop()
        stripped = True
    return words


def key(name):
    """What makes two spellings one company name: case, accents, punctuation, legal form, abbreviations."""
    return " ".join(key_words(name))


def core(name):
    """The key without descriptor words (`Cisco Systems` → `cisco`)."""
    words = key_words(name)
    kept = words[:1] + [w for w in words[1:] if w not in DESCRIPTORS]
    return " ".join(kept)


LEGAL_FORM_RE = re.compile(
    r"(?:[\s,]+|(?<=\.))(?:GmbH\s*&\s*Co\.?\s*KG|GmbH\s*&\s*Co\.?|Co\.?,?\s*Ltd\.?|Company\s+Limited|Co\.?\s+Limited|"
    r"Sdn\.?\s*Bhd\.?|Pvt\.?\s*Ltd\.?|Private\s+Limited|Pte\.?\s*Ltd\.?|Pty\.?\s*Ltd\.?|Pty\.?\s+Limited|"
    r"Sp\.?\s*z\s*o\.?\s*o\.?|S\.?\s*A\.?\s*de\s*C\.?\s*V\.?|S\.?\s*de\s*R\.?\s*L\.?(?:\s*de\s*C\.?\s*V\.?)?|AB\s*\(publ\)|"
    r"Kabushiki\s+Kaisha|K\.K\.|G\.K\.|Incorporated|Inc\.?|L\.?L\.?C\.?|Ltd\.?|Limited|Corporation|Corp\.?|"
    r"GmbH|KGaA|AG|SE|S\.A\.S\.?|S\.A\.U\.?|S\.A\.|SAS|SA|S\.p\.A\.?|SpA|S\.r\.l\.?|Srl|SRL|N\.V\.?|NV|B\.V\.?|BV|"
    r"A/S|ApS|Oyj|OYJ|Oy|OY|AB|ASA|AS|PLC|plc|Plc|KG|S\.L\.?|SL|Ltda\.?|s\.r\.o\.?|a\.s\.?|Kft\.?|Zrt\.?|d\.o\.o\.?|"
    r"JSC|OOO|Berhad|Bhd\.?|LLP|LP|Co\.?|Company)\s*$")
CASED = re.compile(r"(?i:co\.?|company|corp\.?|corporation|inc\.?|incorporated|limited|ltd\.?|llc)$")


def split_legal(name):
    """`Hon Hai Precision Ind. Co.,Ltd.` → (`Hon Hai Precision Ind.`, `Co.,Ltd.`). Case-sensitive for short forms."""
    base, forms = name.strip(), []
    while True:
        match = LEGAL_FORM_RE.search(base) or re.search(r"[\s,]+(co\.?,?\s*ltd\.?|inc\.?|corp\.?|ltd\.?|limited|llc|gmbh|corporation|company|co\.?)\s*$", base, re.I)
        if not match or match.start() == 0:
            break
        candidate = base[:match.start()].rstrip(" ,")
        if not candidate or len(fold(candidate)) < 2:
            break
        forms.insert(0, match.group(0).strip(" ,"))
        base = candidate
    return base, " ".join(forms)


FORM_CASE = {"co ltd": "Co., Ltd.", "inc": "Inc.", "ltd": "Ltd.", "limited": "Limited", "corporation": "Corporation",
             "corp": "Corp.", "gmbh": "GmbH", "company": "Company", "co": "Co.", "llc": "LLC", "company limited": "Company Limited",
             "gmbh and co kg": "GmbH & Co. KG", "oy": "Oy", "oyj": "Oyj", "sdn bhd": "Sdn Bhd", "pvt ltd": "Pvt Ltd"}


def plain_base(name):
    """The name without legal form and parenthesised parts: `Coosea Group (HK) Co., Ltd` → `Coosea Group`."""
    base = split_legal(name)[0]
    stripped = split_legal(QUALIFIER.sub(" ", base).strip(" ,"))[0]
    return re.sub(r"\s+", " ", stripped) if len(fold(stripped)) >= 2 else base


def smart_title(name):
    """`ATEN INTERNATIONAL CO., LTD.` → `Aten International Co., Ltd.` (acronyms and short legal forms kept)."""
    if name.upper() != name or not any(c.isalpha() for c in name):
        return name
    base, form = split_legal(name)
    out = []
    for word in base.split(" "):
        bare = word.strip(",.()")
        if len(bare) <= 3 or (len(bare) <= 4 and not re.search(r"[AEIOUY]", bare)):
            out.append(word)  # an acronym: IBM, LG, NEC
        else:
            out.append("-".join(part[:1] + part[1:].lower() for part in word.split("-")))
    return " ".join(out) + (" " + FORM_CASE.get(fold(form), form) if form else "")


# ---------------------------------------------------------------- public suffix list

class PublicSuffixList:
    def __init__(self, path):
        need(path, "publicsuffix")
        self.rules, self.exceptions, self.wildcards = set(), set(), set()
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("//"):
                    continue
                rule = line.split()[0].lower()
                if rule.startswith("!"):
                    self.exceptions.add(rule[1:])
                elif rule.startswith("*."):
                    self.wildcards.add(rule[2:])
                else:
                    self.rules.add(rule)

    def registrable(self, host):
        host = host.lower().strip(".")
        labels = host.split(".")
        if len(labels) < 2:
            return None
        for i in range(len(labels)):
            suffix = ".".join(labels[i:])
            parent = ".".join(labels[i + 1:])
            if suffix in self.exceptions:
                return suffix
            if suffix in self.rules or (parent and parent in self.wildcards):
                return ".".join(labels[i - 1:]) if i > 0 else None
        return ".".join(labels[-2:])


def host_of(url):
    text = url.strip().lower()
    text = re.sub(r"^[a-z]+://", "", text)
    text = re.split(r"[/?#\s]", text)[0]
    text = text.split("@")[-1].split(":")[0]
    return text[4:] if text.startswith("www.") else text


# ---------------------------------------------------------------- countries

LOCAL_LANGUAGES = {
    "DE": ["de"], "AT": ["de"], "CH": ["de", "fr", "it"], "LI": ["de"], "FR": ["fr"], "BE": ["nl", "fr"], "LU": ["fr", "de"],
    "NL": ["nl"], "ES": ["es", "ca"], "MX": ["es"], "AR": ["es"], "CL": ["es"], "CO": ["es"], "PE": ["es"], "IT": ["it"],
    "PT": ["pt"], "BR": ["pt_BR"], "SE": ["sv"], "NO": ["nb"], "DK": ["da"], "FI": ["fi"], "PL": ["pl"], "CZ": ["cs"],
    "SK": ["sk"], "HU": ["hu"], "RO": ["ro"], "BG": ["bg"], "GR": ["el"], "TR": ["tr"], "RU": ["ru"], "UA": ["uk"],
    "JP": ["ja"], "CN": ["zh_CN"], "TW": ["zh_TW"], "HK": ["zh_TW"], "KR": ["ko"], "IL": ["he"], "VN": ["vi"],
    "TH": ["th"], "ID": ["id"], "MY": ["ms"], "SI": ["sl"], "HR": ["hr"], "RS": ["sr@latin"], "LT": ["lt"],
    "LV": ["lv"], "EE": ["et"], "IS": ["is"], "AE": ["ar"], "SA": ["ar"], "EG": ["ar"], "IN": ["hi"],
}
ROMANIZED = {
    "JP": ["Nihon", "Nippon"], "CN": ["Zhongguo"], "KR": ["Hanguk", "Daehan Minguk"], "TW": ["Zhonghua Minguo"],
    "AT": ["Oesterreich"], "CH": ["Helvetia", "Svizzera"], "RU": ["Rossiya"], "GR": ["Hellas", "Ellada"],
    "TR": ["Turkiye"], "DE": ["Deutschland"], "ES": ["Espana"], "MX": ["Mexico"],
}
CRM_SPELLINGS = {  # what CRM users really hold besides the ISO names
    "CN": ["P.R. China", "Mainland China", "PRC", "P.R.C.", "China (PRC)", "People's Republic of China", "CHINA P.R."],
    "TW": ["Taiwan, R.O.C.", "Taiwan ROC", "Republic of China", "R.O.C.", "Taiwan (ROC)", "Chinese Taipei"],
    "KR": ["S. Korea", "Republic of Korea", "Korea, Republic of", "Korea (South)", "Korea", "South Korea"],
    "RU": ["Russian Federation", "Russia"], "US": ["U.S.A.", "United States of America", "America", "U.S."],
    "GB": ["Great Britain", "U.K.", "England", "Scotland", "United Kingdom of Great Britain and Northern Ireland"],
    "DE": ["Germany, Federal Republic of", "Federal Republic of Germany", "BRD"], "NL": ["Holland", "The Netherlands"],
    "HK": ["Hong Kong SAR", "Hong Kong, China", "HKSAR"], "JP": ["Japan (JP)"], "IR": ["Iran"],
    "VN": ["Vietnam", "Viet Nam"], "CZ": ["Czech Republic", "Czechia"], "AE": ["UAE", "U.A.E."], "TR": ["Turkey"],
    "MY": ["Malaysia (MY)"], "IN": ["Republic of India", "Bharat"], "IL": ["State of Israel"],
}
COMMON_ALIASES = {"US": ["USA", "US", "United States"], "GB": ["UK", "United Kingdom"], "KR": ["South Korea"],
                  "TW": ["Taiwan"], "RU": ["Russia"], "NL": ["Netherlands"], "CZ": ["Czech Republic"]}
CALLING = {
    "US": "1", "CA": "1", "GB": "44", "DE": "49", "FR": "33", "IT": "39", "ES": "34", "PT": "351", "NL": "31", "BE": "32",
    "LU": "352", "CH": "41", "AT": "43", "SE": "46", "NO": "47", "DK": "45", "FI": "358", "IS": "354", "IE": "353",
    "PL": "48", "CZ": "420", "SK": "421", "HU": "36", "RO": "40", "BG": "359", "GR": "30", "TR": "90", "RU": "7",
    "UA": "380", "IL": "972", "AE": "971", "SA": "966", "EG": "20", "ZA": "27", "NG": "234", "KE": "254", "GH": "233",
    "IN": "91", "CN": "86", "HK": "852", "MO": "853", "TW": "886", "JP": "81", "KR": "82", "SG": "65", "MY": "60",
    "TH": "66", "VN": "84", "ID": "62", "PH": "63", "AU": "61", "NZ": "64", "BR": "55", "MX": "52", "AR": "54",
    "CL": "56", "CO": "57", "PE": "51", "SI": "386", "HR": "385", "RS": "381", "LT": "370", "LV": "371", "EE": "372",
}
SECOND_LEVEL = {
    "GB": ["co.uk"], "AU": ["com.au"], "NZ": ["co.nz"], "JP": ["co.jp", "jp"], "KR": ["co.kr", "kr"], "IN": ["in", "co.in"],
    "ZA": ["co.za"], "BR": ["com.br"], "AR": ["com.ar"], "MX": ["com.mx", "mx"], "TR": ["com.tr"], "CN": ["cn", "com.cn"],
    "TW": ["com.tw", "tw"], "HK": ["com.hk", "hk"], "SG": ["com.sg", "sg"], "MY": ["com.my", "my"], "IL": ["co.il"],
    "EG": ["com.eg"], "GH": ["com.gh"], "NG": ["com.ng"], "KE": ["co.ke"], "UG": ["co.ug"], "TZ": ["co.tz"],
    "CO": ["com.co"], "PE": ["com.pe"], "TH": ["co.th"], "ID": ["co.id"], "PH": ["com.ph"], "VN": ["com.vn", "vn"],
    "US": ["com", "us"], "UA": ["com.ua", "ua"], "CY": ["com.cy"], "MT": ["com.mt"], "QA": ["com.qa"], "FJ": ["com.fj"],
}
LEGAL_FORMS = {  # per country: interchangeable spellings first, then what else is common
    "US": [["Inc.", "Inc", "Incorporated"], ["Corp.", "Corporation"], ["LLC", "L.L.C."], ["Co.", "Company"]],
    "CA": [["Inc.", "Inc"], ["Ltd.", "Limited"], ["Corp.", "Corporation"]],
    "GB": [["Ltd", "Limited", "Ltd."], ["PLC", "plc"], ["LLP"]], "IE": [["Ltd", "Limited"], ["PLC", "plc"]],
    "DE": [["GmbH", "G.m.b.H."], ["AG"], ["GmbH & Co. KG", "GmbH & Co KG"], ["SE"]], "AT": [["GmbH"], ["AG"]],
    "CH": [["AG"], ["SA"], ["GmbH"]], "FR": [["SA", "S.A."], ["SAS", "S.A.S."], ["SARL"]], "BE": [["NV", "N.V."], ["SA"], ["BV"]],
    "ES": [["S.A.", "SA"], ["S.L.", "SL"]], "IT": [["S.p.A.", "SpA"], ["S.r.l.", "Srl"]], "NL": [["N.V.", "NV"], ["B.V.", "BV"]],
    "LU": [["S.A.", "SA"], ["S.à r.l."]], "SE": [["AB", "AB (publ)"]], "FI": [["Oyj", "OYJ"], ["Oy", "OY"]],
    "DK": [["A/S", "AS"], ["ApS"]], "NO": [["AS"], ["ASA"]], "PL": [["Sp. z o.o.", "sp. z o.o.", "Sp. z.o.o."], ["S.A."]],
    "CZ": [["s.r.o.", "spol. s r.o."], ["a.s."]], "HU": [["Kft.", "Kft"], ["Zrt."]], "PT": [["Lda.", "Lda"], ["S.A."]],
    "MX": [["S.A. de C.V.", "SA de CV"], ["S. de R.L. de C.V."]], "BR": [["Ltda.", "Ltda"], ["S.A."]],
    "JP": [["Co., Ltd.", "Co.,Ltd.", "Kabushiki Kaisha", "K.K.", "Corporation", "Corp."], ["G.K."]],
    "KR": [["Co., Ltd.", "Co.,Ltd", "Co., Ltd", "Inc.", "Corp."]],
    "CN": [["Co., Ltd.", "Co.,Ltd", "Co., Ltd", "Co.,Ltd.", "Company Limited", "Limited"]],
    "TW": [["Co., Ltd.", "Co.,Ltd.", "Corp.", "Corporation", "Inc."]], "HK": [["Limited", "Ltd", "Company Limited", "Co., Ltd."]],
    "MY": [["Sdn Bhd", "Sdn. Bhd.", "SDN BHD"], ["Berhad", "Bhd"]], "SG": [["Pte Ltd", "Pte. Ltd.", "Private Limited"], ["Limited"]],
    "IN": [["Pvt Ltd", "Pvt. Ltd.", "Private Limited"], ["Limited", "Ltd"]], "AU": [["Pty Ltd", "Pty. Ltd.", "Pty Limited"], ["Limited", "Ltd"]],
    "NZ": [["Limited", "Ltd"]], "IL": [["Ltd", "Ltd.", "Limited"]], "RU": [["OOO", "LLC"], ["JSC", "PJSC"]],
    "TR": [["A.S.", "A.Ş."], ["Ltd. Sti."]], "ZA": [["(Pty) Ltd", "Pty Ltd"], ["Limited"]],
}
DEFAULT_FORMS = [["Ltd", "Limited", "Ltd."], ["Inc.", "Inc"], ["Co.", "Company"]]
TWIN_FORMS = {  # different legal entities of one base name in one country
    "DE": [("GmbH", "AG"), ("GmbH", "GmbH & Co. KG"), ("AG", "SE")], "AT": [("GmbH", "AG")], "CH": [("AG", "GmbH")],
    "GB": [("Ltd", "PLC"), ("Limited", "LLP")], "IE": [("Ltd", "PLC")], "US": [("Inc.", "LLC"), ("Inc.", "LP")],
    "FR": [("SA", "SAS"), ("SAS", "SARL")], "ES": [("S.A.", "S.L.")], "IT": [("S.p.A.", "S.r.l.")], "NL": [("N.V.", "B.V.")],
    "BE": [("NV", "BV")], "FI": [("Oy", "Oyj")], "DK": [("A/S", "ApS")], "NO": [("AS", "ASA")], "PL": [("Sp. z o.o.", "S.A.")],
    "BR": [("Ltda.", "S.A.")], "MX": [("S.A. de C.V.", "S. de R.L. de C.V.")], "CZ": [("s.r.o.", "a.s.")],
    "HU": [("Kft.", "Zrt.")], "JP": [("K.K.", "G.K.")], "AU": [("Pty Ltd", "Limited")], "IN": [("Pvt Ltd", "Limited")],
    "SG": [("Pte Ltd", "Limited")], "MY": [("Sdn Bhd", "Berhad")], "SE": [("AB", "Holding AB")],
}
LOCAL_CITIES = {
    "Munich": "München", "Cologne": "Köln", "Nuremberg": "Nürnberg", "Dusseldorf": "Düsseldorf", "Vienna": "Wien",
    "Zurich": "Zürich", "Geneva": "Genève", "Milan": "Milano", "Rome": "Roma", "Turin": "Torino", "Lisbon": "Lisboa",
    "Prague": "Praha", "Warsaw": "Warszawa", "Copenhagen": "København", "Gothenburg": "Göteborg", "Brussels": "Bruxelles",
    "Antwerp": "Antwerpen", "The Hague": "Den Haag", "Athens": "Athina", "Moscow": "Moskva", "Seville": "Sevilla",
    "Taipei": "Taipei City", "Seoul": "Seoul-si", "Tokyo": "Tokyo-to", "Osaka": "Osaka-shi", "Beijing": "Peking",
    "Shenzhen": "ShenZhen", "Hsinchu": "Hsinchu City", "New York City": "New York", "Frankfurt": "Frankfurt am Main",
}
CN_REGIONS = {
    "shenzhen", "shanghai", "beijing", "guangzhou", "hangzhou", "dongguan", "suzhou", "xiamen", "wuhan", "chengdu", "nanjing",
    "qingdao", "zhuhai", "ningbo", "tianjin", "chongqing", "jiangsu", "zhejiang", "fujian", "guangdong", "sichuan", "anhui",
    "shandong", "hunan", "hubei", "henan", "hebei", "xian", "hefei", "foshan", "huizhou", "zhongshan", "wuxi", "changzhou",
    "jiangxi", "shaanxi", "liaoning", "dalian", "shenyang", "jinan", "fuzhou", "changsha", "zhengzhou", "kunshan", "jiaxing",
    "quanzhou", "yantai", "weihai", "taizhou", "wenzhou", "nanchang", "guangxi", "yunnan", "guizhou", "hainan", "shanxi",
}
PROVINCES = CN_REGIONS | {
    "gyeonggi", "gyeonggi do", "seoul", "taiwan", "kanagawa", "saitama", "chiba", "aichi", "osaka", "hyogo", "tokyo", "nsw",
    "new south wales", "victoria", "queensland", "ontario", "quebec", "bavaria", "bayern", "hessen", "nrw", "baden wurttemberg",
    "niedersachsen", "england", "scotland", "cambridgeshire", "berkshire", "hampshire", "vaud", "zurich", "state",
}
US_STATES = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california", "CO": "colorado",
    "CT": "connecticut", "DE": "delaware", "DC": "district of columbia", "FL": "florida", "GA": "georgia", "HI": "hawaii",
    "ID": "idaho", "IL": "illinois", "IN": "indiana", "IA": "iowa", "KS": "kansas", "KY": "kentucky", "LA": "louisiana",
    "ME": "maine", "MD": "maryland", "MA": "massachusetts", "MI": "michigan", "MN": "minnesota", "MS": "mississippi",
    "MO": "missouri", "MT": "montana", "NE": "nebraska", "NV": "nevada", "NH": "new hampshire", "NJ": "new jersey",
    "NM": "new mexico", "NY": "new york", "NC": "north carolina", "ND": "north dakota", "OH": "ohio", "OK": "oklahoma",
    "OR": "oregon", "PA": "pennsylvania", "RI": "rhode island", "SC": "south carolina", "SD": "south dakota",
    "TN": "tennessee", "TX": "texas", "UT": "utah", "VT": "vermont", "VA": "virginia", "WA": "washington",
    "WV": "west virginia", "WI": "wisconsin", "WY": "wyoming", "PR": "puerto rico",
}
CITY_FIRST = {"san", "santa", "los", "las", "new", "fort", "ft", "st", "saint", "el", "la", "palo", "mountain", "salt",
              "baton", "grand", "cedar", "ann", "des", "sioux", "little", "long", "rancho", "redwood", "menlo", "foster",
              "daly", "union", "culver", "north", "south", "east", "west", "park", "bad", "hong", "kuala", "sao", "rio",
              "buenos", "tel", "abu", "port", "le", "den", "mexico", "costa", "newport", "pleasant", "college", "round", "bayan",
              "owings", "sha", "kwun", "tai", "kwai", "wan", "tsuen", "petaling", "shah", "johor", "hoofddorp"}
CITY_SECOND = {"city", "park", "view", "alto", "beach", "springs", "falls", "heights", "hills", "valley", "grove", "rapids",
               "creek", "lakes", "harbor", "rock", "haven", "bay", "island", "point", "village", "prairie", "ridge", "plains",
               "hill", "grove", "glen", "lake", "river", "mills", "woods", "forest", "meadows", "gardens"}
INDEX_COUNTRY = {
    "AEX": "NL", "BEL 20": "BE", "CAC_40": "FR", "CAC Mid 60": "FR", "DAX": "DE", "MDAX": "DE", "SDAX": "DE", "TecDAX": "DE",
    "DOW JONES": "US", "NASDAQ 100": "US", "S&P 100": "US", "S&P 500": "US", "S&P 600": "US", "FTSE 100": "GB",
    "IBEX 35": "ES", "NIKKEI 225": "JP", "OMX Helsinki 25": "FI", "OMX Stockholm 30": "SE", "Switzerland 20": "CH",
}


class Countries:
    def __init__(self):
        need(ISO_JSON, "iso-codes")
        with open(ISO_JSON, encoding="utf-8") as f:
            self.iso = {c["alpha_2"]: c for c in json.load(f)["3166-1"]}
        self.lookup = {}
        for code, c in self.iso.items():
            for text in (c["name"], c.get("common_name"), c.get("official_name"), c["alpha_3"], code):
                if text:
                    self.lookup[fold(text)] = code
        for code, names in list(CRM_SPELLINGS.items()) + list(COMMON_ALIASES.items()):
            for text in names:
                self.lookup[fold(text)] = code
        for text, code in {"u s": "US", "usa": "US", "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
                           "the netherlands": "NL", "czech republic": "CZ", "korea": "KR", "taiwan": "TW", "guernsey": "GG",
                           "jersey": "JE", "russia": "RU", "vietnam": "VN", "iran": "IR", "turkey": "TR"}.items():
            self.lookup[text] = code
        for abbr, state in US_STATES.items():
            self.lookup.setdefault(state, "US")
        self.lookup["georgia"] = "US"  # the pytickersymbols field holds "Atlanta, Georgia"
        self.local = {}
        for code, languages in LOCAL_LANGUAGES.items():
            names = []
            for language in languages:
                try:
                    translation = gettext.translation("iso_3166-1", "/usr/share/locale", [language])
                except OSError:
                    continue
                for msgid in (self.iso[code].get("common_name"), self.iso[code]["name"]):
                    if msgid and translation.gettext(msgid) != msgid:
                        names.append(translation.gettext(msgid))
                        break
            self.local[code] = names

    def code(self, text):
        if not text:
            return None
        return self.lookup.get(fold(text))

    def english(self, code):
        c = self.iso.get(code, {})
        return c.get("common_name") or c.get("name") or code

    def picklist(self, code):
        """The Salesforce State and Country picklist value (ISO 3166 English names)."""
        return {"TW": "Taiwan", "GB": "United Kingdom", "US": "United States"}.get(code) or self.iso.get(code, {}).get("name") or code

    def common(self, code, source, rng):
        r = rng.random()
        if source == "sfdc":
            if r < 0.55:
                return self.picklist(code)
            if r < 0.8:
                return self.english(code)
            if r < 0.93:
                return code
        else:
            if r < 0.55:
                return self.english(code)
            if r < 0.75:
                return code
        return rng.choice(COMMON_ALIASES.get(code, [self.english(code), code]))

    def exotic(self, code, rng):
        c = self.iso.get(code, {})
        options = [c.get("alpha_3"), c.get("official_name"), c.get("name") if c.get("name") != self.english(code) else None]
        options += self.local.get(code, []) * 2 + ROMANIZED.get(code, []) + CRM_SPELLINGS.get(code, []) * 2
        options += [f"{self.english(code)} ({code})", f"{code} - {self.english(code)}", self.english(code).upper()]
        return rng.choice([o for o in options if o])


# ---------------------------------------------------------------- sources

def clean_ticker_name(name):
    name = re.sub(r"\s*\((?:Class [A-Z]|[a-z][^)]*|\d{4}[^)]*|American company|Ohio|Lotterie|Beteiligungsgesellschaft)\)", "", name)
    name = re.sub(r"\s+Class [A-Z]$", "", name)
    name = re.sub(r"(?<=[a-zäöü])C$", "", name)  # "IndustrivärdenC"
    return name.strip()


def ticker_city(company, country):
    field = company.get("country") or ""
    hq = (company.get("metadata") or {}).get("headquarters") or ""
    parts = [p.strip() for p in re.split(r"\s*,\s*", field)]
    if len(parts) == 2 and fold(parts[1]) in US_STATES.values():
        city = parts[0]
    else:
        segments = [s.strip(" .") for s in re.split(r"\s*,\s*", hq) if s.strip(" .")]
        segments = [s for s in segments if fold(s) not in ("u s", "us", "usa", "uk", "united states", "england")]
        segments = [re.sub(r"^(?:canton of|prefecture of)\s+", "", s, flags=re.I) for s in segments]
        candidates = [s for s in segments if not re.search(r"\d", s) and fold(s) not in US_STATES.values()]
        if not candidates:
            return ""
        city = candidates[-2] if len(candidates) > 1 and fold(candidates[-1]) in ("japan", "germany", "france", "netherlands",
                 "spain", "finland", "switzerland", "sweden", "belgium", "italy", "ireland", "luxembourg", "denmark",
                 "united kingdom", "austria", "norway", "tokyo metropolis") else candidates[-1]
    city = re.sub(r"\s*\(.*?\)", "", city).strip()
    if len(city) > 30 or not city:
        return ""
    return "New York" if city == "New York City" else city


def load_tickers(countries, psl):
    indices = load_indices()
    by_key, by_domain, out = {}, {}, []
    for index_name in sorted(indices):
        for company in indices[index_name]["companies"]:
            name = clean_ticker_name(company["name"])
            meta = company.get("metadata") or {}
            hosts = [t for t in re.split(r"\s+", (meta.get("website") or "").replace("https://", "").replace("http://", ""))
                     if "." in t and not t.startswith("/") and not t.startswith("(") and " " not in t]
            domains = []
            for h in hosts:
                d = psl.registrable(host_of(h))
                if d and d not in domains:
                    domains.append(d)
            field = company.get("country")
            code = countries.code(field)
            if code is None and field and "," in field:
                code = countries.code(field.split(",")[-1])
            if code is None:
                hq = meta.get("headquarters") or ""
                code = countries.code(hq.split(",")[-1]) if hq else None
            home = INDEX_COUNTRY.get(index_name)
            if code is None:
                code = home
            if code is None and domains:
                tld = domains[0].rsplit(".", 1)[-1].upper()
                code = tld if tld in countries.iso else None
            if home and code != home and (home == "JP" or (domains and domains[0].rsplit(".", 1)[-1].upper() == home)):
                code = home  # "Fukuoka Financial Group", United Kingdom, fukuoka-fg.co.jp: a Nikkei company is Japanese
            if code is None:
                continue
            employees = re.search(r"\d[\d,.]*", str(meta.get("employees") or ""))
            count = int(re.sub(r"[,.]", "", employees.group(0))) if employees else None
            k = key(name)
            existing = by_key.get(k) or (by_domain.get(domains[0]) if domains else None)
            if existing:
                for d in domains:
                    if d not in existing["domains"] and d not in by_domain:
                        existing["domains"].append(d)
                        by_domain[d] = existing
                continue
            city = ticker_city(company, code)
            entity = {"name": name, "country": code, "domains": domains, "city": "" if countries.code(city) else city,
                      "postcode": "", "employees": count if count and 0 < count < 3_000_000 else None, "origin": "ticker"}
            by_key[k] = entity
            for d in domains:
                by_domain.setdefault(d, entity)
            out.append(entity)
    return out


KNOWN_CITIES = {
    "CN": sorted(CN_REGIONS - {"jiangsu", "zhejiang", "fujian", "guangdong", "sichuan", "anhui", "shandong", "hunan", "hubei",
                               "henan", "hebei", "jiangxi", "shaanxi", "liaoning", "guangxi", "yunnan", "guizhou", "hainan", "shanxi"}),
    "TW": ["taipei", "new taipei", "hsinchu", "taichung", "tainan", "kaohsiung", "taoyuan", "keelung", "zhubei", "chupei",
           "miaoli", "changhua", "yilan", "pingtung", "nantou", "zhongli", "chungli", "tucheng", "xindian", "neihu", "banqiao"],
    "KR": ["seoul", "busan", "incheon", "daegu", "daejeon", "gwangju", "ulsan", "suwon", "seongnam", "anyang", "yongin",
           "bucheon", "goyang", "hwaseong", "pyeongtaek", "cheonan", "gumi", "changwon", "pohang", "ansan", "gunpo", "uiwang",
           "gimpo", "paju", "cheongju", "jeonju", "osan", "icheon", "pangyo", "guri", "hanam", "siheung", "gwangmyeong"],
    "JP": ["tokyo", "osaka", "yokohama", "kawasaki", "nagoya", "kyoto", "kobe", "fukuoka", "sapporo", "sendai", "saitama",
           "chiba", "hiroshima", "hamamatsu", "shizuoka", "kanazawa", "niigata", "okayama", "kumamoto", "sagamihara",
           "hachioji", "atsugi", "tachikawa", "kadoma", "sakai", "matsumoto", "nagano", "kawaguchi", "mitaka", "fuchu"],
    "HK": ["hong kong", "kowloon", "kwun tong", "tsuen wan", "sha tin", "shatin", "kwai chung", "tai po", "wan chai"],
}
ADDRESS_NOISE = {
    "district", "province", "prov", "county", "state", "region", "road", "rd", "drive", "dr", "street", "st", "ave",
    "avenue", "blvd", "ltd", "building", "bldg", "floor", "fl", "park", "industrial", "zone", "area", "town", "new", "hi",
    "tech", "science", "nl", "city", "prefecture", "ken", "gu", "si", "do", "shi", "ku", "select", "suite", "ste", "unit",
    "room", "no", "box", "po", "p o", "lane", "way", "center", "centre", "tower", "plaza", "estate", "square", "sec",
    "section", "village", "xiang", "zhen", "guang", "dong", "jiang", "su", "zhe", "cedex", "hauts", "seine", "south",
    "north", "east", "west", "kedah", "penang", "pinang", "fiz", "phase", "lothian", "belgium", "germany", "france",
    "japan", "china", "taiwan", "korea", "usa", "hsien", "united", "null", "none", "sweden", "italy", "spain", "india", "canada", "israel",
}
REGIONS = PROVINCES | {
    "karnataka", "maharashtra", "tamil nadu", "telangana", "kerala", "gujarat", "rajasthan", "haryana", "delhi",
    "uttar pradesh", "west bengal", "andhra pradesh", "rheinland pfalz", "nordrhein westfalen", "baden wuerttemberg",
    "sachsen", "thueringen", "brandenburg", "schleswig holstein", "hesse", "bihor", "ilfov", "cluj", "kent", "surrey",
    "essex", "oxfordshire", "hertfordshire", "middlesex", "lancashire", "yorkshire", "wiltshire", "devon", "ontario",
    "alberta", "british columbia", "gyeonggido", "kyonggi", "chungcheongnam", "chungcheongbuk", "gyeongsangbuk",
    "gyeongsangnam", "jeollanam", "jeollabuk", "gangwon", "kanagawa ken", "lombardia", "piemonte", "veneto", "emilia romagna",
    "toscana", "lazio", "selangor", "penang", "johor", "noord holland", "zuid holland", "noord brabant", "utrecht", "gelderland",
    "ticino", "bern", "aargau", "st gallen", "luzern", "geneve", "catalonia", "catalunya", "madrid", "andalucia", "israel",
    "gauteng", "western cape", "victoria", "queensland", "south australia", "western australia", "tasmania", "auckland",
}


def parse_address(address, iso):
    """`... ShenZhen GuangDong CN 518101` → (CN, Shenzhen, 518101); `... Mountain View CA US 94043` → (US, Mountain View, 94043)."""
    tokens = address.replace(",", " , ").split()
    positions = [i for i, t in enumerate(tokens) if t in iso]
    if len(positions) > 1 and re.fullmatch(r"\d{4}", tokens[positions[-1] - 1]):
        positions.pop()                                              # NL 7521 PG: a Dutch postcode, not Papua New Guinea
    if not positions:
        return None, "", ""
    i = positions[-1]
    code = tokens[i]
    after = [t for t in tokens[i + 1:] if t != ","]
    before = [t for t in tokens[:i]]
    postcode = " ".join(after[:2]) if after and any(ch.isdigit() for ch in "".join(after[:2])) else ""
    if not postcode:
        digits = [t for t in before[-3:] if re.fullmatch(r"\d{3,6}", t)]
        postcode = digits[-1] if digits else ""
    postcode = re.sub(r"^[A-Z]{1,3}-(?=\d)", "", postcode)             # FIN-02631
    folded = [fold(t) for t in before]
    known = KNOWN_CITIES.get(code)
    if known:
        words = " ".join(folded[-14:]).split()
        compact = {c.replace(" ", ""): c for c in known}
        for j in range(len(words) - 1, -1, -1):
            for candidate in (words[j - 1] + words[j] if j else "", words[j], words[j] + (words[j + 1] if j + 1 < len(words) else "")):
                candidate = re.sub(r"(?:si|shi|city)$", "", candidate) if candidate not in compact else candidate
                if candidate in compact:
                    return code, " ".join(w.capitalize() for w in compact[candidate].split()), postcode
    words = [(t.strip(",."), f) for t, f in zip(before, folded) if t != ","]
    while len(words) > 1 and (not words[-1][1] or words[-1][1] in ADDRESS_NOISE or words[-1][1] in REGIONS
                              or words[-1][1].replace(" ", "") in REGIONS or words[-1][1] in US_STATES.values()
                              or re.search(r"\d", words[-1][0])
                              or re.fullmatch(r"[A-Z]{2}\.?", words[-1][0]) or len(words[-1][1]) <= 1
                              or (code in ("US", "CA", "AU", "IT", "BR", "IN") and re.fullmatch(r"[A-Z]{3}\.?", words[-1][0]))
                              or (len(words) > 1 and f"{words[-2][1]} {words[-1][1]}" in REGIONS)
                              or re.search(r"-do$", words[-1][0], re.I)):
        if len(words) > 1 and f"{words[-2][1]} {words[-1][1]}" in REGIONS:
            words.pop()
        words.pop()
    if not words:
        return code, "", postcode
    city_words = [words[-1][0]]
    if len(words) > 1 and (words[-2][1] in CITY_FIRST or words[-1][1] in CITY_SECOND) and not re.search(r"\d", words[-2][0]):
        city_words.insert(0, words[-2][0])
    city = " ".join(city_words).strip(" ,.")
    if (not re.search(r"[A-Za-z]", city) or re.search(r"\d|\.\.|/", city) or len(city) < 3 or fold(city) in ADDRESS_NOISE
            or fold(city) in REGIONS):
        city = ""
    if city.isupper() or city.islower():
        city = " ".join("-".join(p.capitalize() for p in w.split("-")) for w in city.split())
    return code, city, postcode


def load_oui(countries):
    for name in ("oui.csv",):
        need(os.path.join(IEEE, name), "ieee-data")
    groups = defaultdict(list)
    for name in ("oui.csv", "mam.csv", "oui36.csv", "iab.csv"):
        path = os.path.join(IEEE, name)
        if not os.path.exists(path):
            continue
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            for row in csv.DictReader(f):
                org = re.sub(r"\s+", " ", row["Organization Name"]).strip().strip('"')
                k = key(org)
                if len(k) < 3 or k in ("private", "ieee registration authority") or not re.search(r"[a-z]{2}", k):
                    continue
                code, city, postcode = parse_address(row["Organization Address"], countries.iso)
                if code:
                    groups[k].append((org, code, city, postcode))
    out = []
    for k in sorted(groups):
        rows = groups[k]
        code = Counter(r[1] for r in rows).most_common(1)[0][0]
        spelled = Counter(r[0] for r in rows if r[1] == code).most_common()
        name = sorted(spelled, key=lambda item: (-item[1], item[0]))[0][0]
        first = next(r for r in rows if r[1] == code)
        out.append({"name": name, "country": code, "domains": [], "city": first[2], "postcode": first[3],
                    "employees": None, "origin": "oui"})
    return out


QUALIFIER = re.compile(r"\s*(?:[(（][^)）]*[)）]|\s-\s.*$)")


def one_spelling(*groups):
    """Drop later names that are one company spelled twice in the sources: the same words in another order
    (`Zhongshan General K-mate` / `Zhongshan K-mate General`), the same letters (`ALPSALPINE` / `Alps Alpine`),
    one edit apart in one word of 8+ letters after the first, not a plural `s` (`Thermo Fisher Sceintific` in
    the IEEE list / `Thermo Fisher Scientific`; but `Logitec` and `Logitech` are two companies), and in one
    country a qualifier or a descriptor more (`ABB SpA - DIN Rail` / `ABB SpA`, `JDM Mobile Internet
    Solution (Shanghai) Co Ltd` / `JDM Mobile Internet Solution Co., Ltd.`, `EISST International Ltd` / `EISST Ltd`),
    transliterated (`Bürkert Werke` / `BUERKERT WERKE`), and a department or place after a comma that follows the
    legal form (`Robert Bosch GmbH, VT-ATMO` / `Robert Bosch GmbH`)."""
    seen, out = set(), []
    for group in groups:
        kept = []
        for entity in group:
            words = key_words(entity["name"])
            variants = {"k:" + "".join(words), "s:" + " ".join(sorted(words))}
            for i, word in enumerate(words):   # one edit in a long word after the first, the other words the same
                if i > 0 and len(word) >= 8:
                    edits = {word[:j] + word[j + 1:] for j in range(len(word)) if not (j == len(word) - 1 and word[j] == "s")}
                    variants |= {f"w{i}:" + " ".join(words[:i] + [w] + words[i + 1:]) for w in edits | {word}}
            variants.add("t:" + "".join(re.sub(r"([aou])e", r"\1", w) for w in words))
            if words and len(words[-1]) > 4:   # `Arista Network, Inc.` / `Arista Networks`
                variants.add("p:" + " ".join(words[:-1] + [words[-1].rstrip("s")]))
            country = entity["country"]
            bare = key(QUALIFIER.sub(" ", split_legal(entity["name"])[0]).strip()) or " ".join(words)
            own = {f"q:{country}:{bare}", f"n:{country}:{' '.join(words)}"}
            name = entity["name"]
            for comma in [i for i, c in enumerate(name) if c == ","][::-1]:   # `Hitachi Maxell, Ltd., Optronics Division`
                head, tail = name[:comma], name[comma + 1:]
                if split_legal(head)[1] and len(fold(tail).split()) <= 3 and key(tail):
                    own.add(f"q:{country}:{key(QUALIFIER.sub(' ', split_legal(head)[0]).strip())}")
                    break
            probes = own | {f"n:{country}:{core(entity['name'])}", f"c:{country}:{' '.join(words)}"}
            if (variants | probes) & seen:
                continue
            seen |= variants | own | {f"c:{country}:{core(entity['name'])}", f"n:{country}:{bare}"}
            kept.append(entity)
        out.append(kept)
    return out


def load_brands(countries):
    need(MBPI, "mobile-broadband-provider-info")
    groups = defaultdict(dict)
    for country in ET.parse(MBPI).getroot().findall("country"):
        code = country.get("code", "").upper()
        if code not in countries.iso:
            continue
        for provider in country.findall("provider"):
            element = provider.find("name")
            if element is None or not element.text:
                continue
            name = re.sub(r"\s*\(.*?\)", "", element.text.split(" / ")[0]).strip()
            name = re.sub(r"\s+(?:UMTS|GPRS|3G|4G|Internet|Prepaid|Postpaid|[A-Z]{2})$", "", name).strip()
            local = [fold(countries.english(code))] + [fold(n) for n in countries.local.get(code, [])]
            for word in local:
                if word and fold(name).endswith(" " + word):
                    name = name[: -len(word)].strip()
            brand = fold(name)
            if len(brand) < 2 or brand.isdigit():
                continue
            groups[brand].setdefault(code, name)
    out = []
    for brand in sorted(groups):
        if len(groups[brand]) < 2:
            continue
        for code in sorted(groups[brand]):
            out.append({"name": groups[brand][code], "country": code, "domains": [], "city": "", "postcode": "",
                        "employees": None, "origin": "mbpi", "brand": brand, "brand_name": groups[brand][code]})
    return out


# ---------------------------------------------------------------- generation

PLATFORMS = [
    "{s}.wordpress.com", "{s}.weebly.com", "{s}.webflow.io", "{s}.business.site", "sites.google.com/view/{s}",
    "{s}.wixsite.com/{s}", "{s}.myshopify.com", "{s}.squarespace.com", "{s}.notion.site", "linktr.ee/{s}", "{s}.carrd.co",
    "{s}.github.io", "{s}.blogspot.com", "www.linkedin.com/company/{s}", "www.facebook.com/{s}", "{s}.godaddysites.com",
    "{s}.netlify.app", "{s}.herokuapp.com", "{s}.vercel.app", "www.linkedin.com/company/{s}", "www.facebook.com/{s}",
]
FREEMAIL = {"CN": ["qq.com", "163.com", "126.com", "sina.com"], "KR": ["naver.com", "hanmail.net"], "JP": ["yahoo.co.jp"],
            "DE": ["web.de", "gmx.de", "t-online.de"], "RU": ["mail.ru", "yandex.ru"], "IN": ["rediffmail.com"], "TW": ["yahoo.com.tw"],
            "*": ["gmail.com", "gmail.com", "yahoo.com", "hotmail.com", "outlook.com"]}
SUBSIDIARY_WORDS = [("Financial Services", "fs"), ("Bank", "bank"), ("Capital", "capital"), ("Leasing", "leasing"),
                    ("Insurance", "insurance"), ("Software", "software"), ("Energy", "energy"), ("Real Estate", "realestate"),
                    ("Logistics", "logistics"), ("Healthcare", "health"), ("Ventures", "ventures"), ("Foundation", "foundation")]
FRANCHISE = ["{b} Franchise {c}", "{b} {c} (Franchise)", "{b} Franchisee {c}"]


class Generator:
    def __init__(self, count, seed):
        self.rng = random.Random(seed)
        self.count = count
        self.countries = Countries()
        self.psl = PublicSuffixList(PSL_FILE)
        self.used_domains = {}
        self.used_tenants = set()
        self.entities = []
        self.keys = Counter()
        self.cores = Counter()
        self.rows = {"sfdc": [], "hubspot": []}
        self.truth = []
        self.classes = defaultdict(list)
        self.freemail_domains = {d for ds in FREEMAIL.values() for d in ds}

    # -- helpers
    def add(self, base, primary=None):
        entity = dict(base)
        entity["id"] = len(self.entities)
        entity.setdefault("domains", [])
        entity["classes"] = [primary] if primary else []
        entity["key"], entity["core"] = key(entity["name"]), core(entity["name"])
        self.keys[entity["key"]] += 1
        self.cores[entity["core"]] += 1
        self.entities.append(entity)
        return entity

    def rename(self, entity, name):
        self.keys[entity["key"]] -= 1
        self.cores[entity["core"]] -= 1
        entity["name"], entity["key"], entity["core"] = name, key(name), core(name)
        self.keys[entity["key"]] += 1
        self.cores[entity["core"]] += 1

    def others(self, entity, name):
        """How many other companies `name` could be read as: same key, their name plus descriptors
        (`Cisco` / `Cisco Systems`), or their name less descriptors (`Cap Tech` / `Cap Co., Ltd`)."""
        k, c = key(name), core(name)
        count = self.keys.get(k, 0) + self.cores.get(k, 0) - (k == entity["key"]) - (k == entity["core"])
        if c != k:
            count += self.keys.get(c, 0) - (c == entity["key"])
        return count

    def claim(self, domain, entity_id):
        if not domain or domain in self.used_domains or domain in self.freemail_domains or self.psl.registrable(domain) != domain:
            return False
        self.used_domains[domain] = entity_id
        return True

    def label(self, name):
        words = [w for w in fold(split_legal(name)[0]).split() if w not in ("the",)]
        distinct = [w for w in words if w not in CN_REGIONS and w not in DESCRIPTORS and ABBREVIATIONS.get(w, w) not in DESCRIPTORS]
        words = distinct or words
        if not words:
            return ""
        first = words[0]
        for word in words[1:]:
            if len(first) >= 4:
                break
            first += word
        return re.sub(r"[^a-z0-9]", "", first)[:24]

    def tlds(self, code):
        cc = SECOND_LEVEL.get(code, [code.lower()])
        return cc + ["com"] if code != "US" else ["com", "com", "com", "net", "us"]

    def derive_domain(self, entity, tld=None):
        label = self.label(entity["name"])
        if not label:
            return None
        words = [w for w in fold(split_legal(entity["name"])[0]).split() if w not in CN_REGIONS]
        second = re.sub(r"[^a-z0-9]", "", "".join(words[1:2]))
        city = fold(entity.get("city") or "").replace(" ", "")
        options = [label, label + second, label + "-" + second, label + (city[:2] if city else "x"), label + "group", label + "tech",
                   label + "-" + entity["country"].lower()]
        for stem in options:
            if not stem or stem.endswith("-"):
                continue
            choice = tld or self.rng.choice(self.tlds(entity["country"]))
            if self.claim(f"{stem}.{choice}", entity["id"]):
                return f"{stem}.{choice}"
        return None

    def alternate_domain(self, entity):
        domain = entity["domains"][0]
        label, tld = domain.split(".", 1)
        cc = SECOND_LEVEL.get(entity["country"], [entity["country"].lower()])[0]
        if label in ("group", "global", "corporate", "about", "www") or "." not in tld and len(tld) > 3:
            label, tld = self.label(entity["name"]) or label, "com"   # group.bnpparibas, global.canon
        words = [w for w in fold(split_legal(entity["name"])[0]).split()]
        joined = re.sub(r"[^a-z0-9]", "", "".join(words))[:30]
        first = [f"{label}.com" if tld != "com" else f"{label}.{cc}" if cc != "com" else f"{label}usa.com", f"{joined}.{tld}",
                 f"{label}{self.rng.choice(['group', 'inc', 'corp', 'hq', 'global', 'online'])}.com", f"get{label}.com"]
        self.rng.shuffle(first)
        options = first + [f"{label}-{entity['country'].lower()}.com", f"{label}.{cc}", f"{label}.net", f"{label}-global.com"]
        for option in options:
            if option != domain and self.claim(option, entity["id"]):
                return option
        return None

    def tenant(self, entity):
        label = self.label(entity["name"]) or "company"
        city = fold(entity.get("city") or "").replace(" ", "")
        platforms = PLATFORMS if entity["origin"] != "ticker" else [p for p in PLATFORMS if "linkedin" in p or "facebook" in p]
        for slug in [label, label + "-" + city if city else "", label + entity["country"].lower(), f"{label}{entity['id']}"]:
            if slug and slug not in self.used_tenants:
                self.used_tenants.add(slug)
                return self.rng.choice(platforms).format(s=slug)
        return None

    def phone_number(self, code):
        if code not in CALLING:
            return None
        if CALLING[code] == "1":
            return (str(self.rng.randint(201, 989)), f"{self.rng.randint(200, 999)}{self.rng.randint(0, 9999):04d}")
        area = str(self.rng.randint(2, 99)) if code not in ("HK", "SG", "MO") else ""
        return (area, "".join(str(self.rng.randint(0, 9)) for _ in range(self.rng.choice([7, 8]))))

    # -- building the companies
    def build(self):
        rng, n = self.rng, self.count
        tickers = load_tickers(self.countries, self.psl)
        oui = load_oui(self.countries)
        brands = load_brands(self.countries)
        ticker_cores = {core(t["name"]) for t in tickers} | {key(t["name"]) for t in tickers}
        oui = [o for o in oui if core(o["name"]) not in ticker_cores and key(o["name"]) not in ticker_cores]
        tickers, oui = one_spelling(tickers, oui)
        ticker_country_cores = {(core(t["name"]), t["country"]) for t in tickers + oui}
        brands = [b for b in brands if (core(b["name"]), b["country"]) not in ticker_country_cores]
        brands_by = defaultdict(list)
        for b in brands:
            brands_by[b["brand"]].append(b)

        # Brand per country (hard negative): all operator groups, at most 5% of the companies.
        chosen_brands = []
        for brand in sorted(brands_by, key=lambda b: -len(brands_by[b])):
            if len(chosen_brands) + len(brands_by[brand]) > max(6, n * 0.05):
                continue
            chosen_brands += brands_by[brand]
        # Listed companies: real subsidiaries ("Siemens" / "Siemens Healthineers") come in pairs.
        rng.shuffle(tickers)
        ticker_quota = min(len(tickers), int(n * 0.12))
        by_words = {tuple(key_words(t["name"])): t for t in tickers}
        pairs = []
        for t in tickers:
            words = tuple(key_words(t["name"]))
            for cut in range(1, len(words)):
                parent = by_words.get(words[:cut])
                if parent is not None and parent is not t and len(words[0]) >= 3 and set(parent["domains"]).isdisjoint(t["domains"]):
                    pairs.append((parent, t))
                    break
        chosen_tickers, seen = [], set()
        for parent, child in pairs:
            if len(chosen_tickers) + 2 > ticker_quota * 0.5:
                break
            for t in (parent, child):
                if id(t) not in seen:
                    seen.add(id(t))
                    chosen_tickers.append(t)
                    t["natural_subsidiary"] = True
        for t in tickers:
            if len(chosen_tickers) >= ticker_quota:
                break
            if id(t) not in seen:
                seen.add(id(t))
                chosen_tickers.append(t)
        # City-prefixed Chinese names (hard negative): whole prefix groups, ~8%.
        by_prefix = defaultdict(list)
        rest = []
        for o in oui:
            words = key_words(o["name"])
            if o["country"] == "CN" and len(words) > 2 and words[0] in CN_REGIONS:
                by_prefix[(words[0], words[-1])].append(o)   # Shenzhen ... Technology
            else:
                rest.append(o)
        groups = [g for g in by_prefix.values() if len(g) >= 2]
        rng.shuffle(groups)
        city_prefixed, leftovers = [], []
        for g in groups:
            room = int(n * 0.08) - len(city_prefixed)
            take = len(g) if room >= len(g) else room if room >= 2 else 0
            city_prefixed += g[:take]
            leftovers += g[take:]
        rest += leftovers + [o for g in by_prefix.values() if len(g) < 2 for o in g]
        rng.shuffle(rest)
        n_derived = int(n * 0.025) + int(n * 0.03)  # derived subsidiaries and legal twins
        fill = max(0, n - len(chosen_brands) - len(chosen_tickers) - len(city_prefixed) - n_derived)
        chosen_oui = rest[:fill]
        if fill > len(rest):   # more companies asked than the sources hold: recombine real name parts
            chosen_oui += self.recombined(rest, fill - len(rest), tickers + brands + city_prefixed + rest)

        for b in chosen_brands:
            self.add(b, "brand_country")
        for t in chosen_tickers:
            self.add(t, "subsidiary" if t.get("natural_subsidiary") else None)
        for o in city_prefixed:
            self.add(o, "city_prefix")
        for o in chosen_oui:
            self.add(o)

        # Websites: real ones for listed companies, derived ones (or none) for the others.
        for e in self.entities:
            kept = [d for d in e["domains"] if self.claim(d, e["id"])]
            e["domains"] = kept
            if e["origin"] == "ticker":
                continue
            if e["origin"] == "mbpi":
                r = rng.random()
                local = (self.countries.local.get(e["country"]) or [self.countries.english(e["country"])])[0]
                name = e["name"]
                if r < 0.25 and re.fullmatch(r"[A-Za-zÀ-ÿ .'-]+", local):
                    name = f"{e['name']} {local}"                                         # Vodafone Italia
                elif r < 0.5:
                    name = f"{e['name']} {LEGAL_FORMS.get(e['country'], DEFAULT_FORMS)[0][0]}"  # Vodafone GmbH
                # Never the name of another company of the set (`Orange Polska` is also an IEEE registrant):
                # ground truth would call one company two.
                if key(name) == e["key"] or self.keys.get(key(name), 0) == 0:
                    self.rename(e, name)
                e.setdefault("brand_name", e["name"])
                tld = SECOND_LEVEL.get(e["country"], [e["country"].lower()])[0]
                label = "-".join(fold(part).replace(" ", "") for part in e["brand_name"].split("-") if fold(part))
                domain = f"{label}.{tld}"                                                  # t-mobile.pl
                if rng.random() < 0.8 and self.claim(domain, e["id"]):
                    e["domains"] = [domain]
                continue
            share = 0.45 if e["classes"] == ["city_prefix"] else 0.62
            if rng.random() < share:
                domain = self.derive_domain(e)
                if domain:
                    e["domains"] = [domain]
            if e["origin"] == "oui" and rng.random() < 0.6:
                e["name"] = smart_title(e["name"])
        for e in self.entities:
            if e["origin"] == "ticker" and not e["domains"] and rng.random() < 0.7:
                domain = self.derive_domain(e, "com")
                if domain:
                    e["domains"] = [domain]

        plain = [e for e in self.entities if not e["classes"]]
        rng.shuffle(plain)

        def take(count, accept):
            picked = []
            for e in plain:
                if len(picked) >= count:
                    break
                if not e["classes"] and accept(e):
                    picked.append(e)
            return picked

        # Derived subsidiaries: "X" / "X Bank" on separate domains.
        for parent in take(int(n * 0.025), lambda e: bool(e["domains"])):
            word, slug = rng.choice(SUBSIDIARY_WORDS)
            base = plain_base(parent["name"])
            form = rng.choice(LEGAL_FORMS.get(parent["country"], DEFAULT_FORMS)[0]) if rng.random() < 0.5 else ""
            child = {"name": f"{base} {word} {form}".strip(), "country": parent["country"], "domains": [], "city": parent["city"],
                     "postcode": "", "employees": None, "origin": "derived"}
            if key(child["name"]) in self.keys:
                continue
            child = self.add(child, "subsidiary")
            parent["classes"] = ["subsidiary"]
            label, tld = parent["domains"][0].split(".", 1)
            for domain in (f"{label}-{slug}.{tld}", f"{label}{slug}.{tld}", f"{label}-{slug}.com"):
                if self.claim(domain, child["id"]):
                    child["domains"] = [domain]
                    break
        # Legal twins: "Acme GmbH" acme.de / "Acme AG" acme-ag.de in one country, both always with a domain.
        for first in take(int(n * 0.03), lambda e: e["country"] in TWIN_FORMS):
            base, form = plain_base(first["name"]), split_legal(first["name"])[1]
            pair = rng.choice(TWIN_FORMS[first["country"]])
            mine, theirs = (pair if fold(form) != fold(pair[1]) else (pair[1], pair[0]))
            if key(base) != first["key"] or len(key(base)) < 3 or self.others(first, base):
                continue
            if not first["domains"]:
                domain = self.derive_domain(first)
                if not domain:
                    continue
                first["domains"] = [domain]
            label, tld = first["domains"][0].split(".", 1)
            slug = {"gmbh and co kg": "kg", "s a de c v": "sa", "s de r l de c v": "srl", "holding ab": "holding"}.get(
                fold(theirs), re.sub(r"[^a-z0-9]", "", fold(theirs)))
            twin_domain = next((d for d in (f"{label}-{slug}.{tld}", f"{label}{slug}.{tld}", f"{label}-{slug}.com")
                                if self.claim(d, len(self.entities))), None)
            if not twin_domain:
                continue
            self.rename(first, f"{base} {mine}")
            city = first["city"] if rng.random() < 0.5 else ""
            twin = self.add({"name": f"{base} {theirs}", "country": first["country"], "domains": [twin_domain], "city": city,
                             "postcode": "", "employees": None, "origin": "derived"}, "legal_twin")
            first["classes"] = ["legal_twin"]
            first["twin_form"], twin["twin_form"] = mine, theirs

        for e in take(int(n * 0.08), lambda e: bool(e["domains"])):
            alt = self.alternate_domain(e)
            if alt:
                e["alt"] = alt
                e["classes"] = ["alt_domain"]
        for e in take(int(n * 0.08), lambda e: e["origin"] != "ticker" or rng.random() < 0.15):
            url = self.tenant(e)
            if url:
                e["tenant"] = url
                # a listed company shows its LinkedIn or Facebook page in one CRM, its own site in the other
                e["tenant_mode"] = "mixed" if e["domains"] and (e["origin"] == "ticker" or rng.random() < 0.5) else "same"
                e["classes"] = ["platform"]
        for e in take(int(n * 0.12), lambda e: True):
            e["classes"] = ["typed_name"]

        for e in self.entities:
            e["phone"] = self.phone_number(e["country"])
            if e["employees"] is None:
                e["employees"] = int(min(500000, rng.lognormvariate(4.5, 1.6))) + 1

    def recombined(self, pool, count, avoid):
        """Extra names from real parts: one company's distinctive word + another's descriptor and country."""
        out, tries = [], 0
        taken = {key(o["name"]) for o in avoid} | {core(o["name"]) for o in avoid}
        while len(out) < count and tries < count * 20:
            tries += 1
            a, b = self.rng.sample(pool, 2)
            head = self.label(a["name"]).capitalize()
            tail_words = split_legal(b["name"])[0].split()[1:]
            name = " ".join([head] + tail_words) + (" " + split_legal(b["name"])[1] if split_legal(b["name"])[1] else "")
            if len(head) < 3 or not tail_words or key(name) in taken or core(name) in taken:
                continue
            taken |= {key(name), core(name)}
            entity = dict(b)
            entity.update(name=name.strip(), origin="recombined")
            out.append(entity)
        return out

    # -- records
    def safe(self, entity, name):
        """A variant must not read as another company's name."""
        k = key(name)
        if not k:
            return False
        return k == entity["key"] or self.others(entity, name) == 0

    def legal_noise(self, entity, name):
        base, form = split_legal(name)
        groups = LEGAL_FORMS.get(entity["country"], DEFAULT_FORMS)
        r = self.rng.random()
        if form and r < 0.5:
            return base                                             # dropped
        if form:
            for group in groups:
                others = [g for g in group if g != form]
                if any(fold(form) == fold(g) for g in group) and others:
                    return f"{base} {self.rng.choice(others)}"         # re-spelled
            return f"{base}, {form}" if self.rng.random() < 0.5 else base
        return f"{base} {self.rng.choice(groups[0])}"                # added

    def typed(self, entity, name, done=()):
        rng = self.rng
        base, form = split_legal(name)
        options = [o for o in ["abbreviate", "drop", "location", "legal", "translit", "punct", "typo"] if o not in done]
        rng.shuffle(options)
        for option in options:
            out = None
            if option == "abbreviate":
                reverse = {"Holdings": ["Hldgs"], "Manufacturing": ["Mfg"], "International": ["Intl", "Int'l", "Intl."],
                           "Technology": ["Tech"], "Technologies": ["Tech", "Techs"], "Systems": ["Sys"],
                           "Services": ["Svcs", "Svc"], "Laboratories": ["Labs"], "Corporation": ["Corp", "Corp."],
                           "Company": ["Co", "Co."], "Industries": ["Inds", "Ind."], "Industry": ["Ind."],
                           "Industrial": ["Ind."], "Electronics": ["Elec", "Elec."], "Engineering": ["Eng", "Engg"],
                           "Communications": ["Comms"], "Associates": ["Assoc"], "Brothers": ["Bros"], "Development": ["Dev"],
                           "Equipment": ["Equip"], "Management": ["Mgmt"], "National": ["Natl"], "Products": ["Prods"],
                           "Group": ["Grp"], "Limited": ["Ltd"], "Incorporated": ["Inc"]}
                words = name.split(" ")
                hits = [i for i, w in enumerate(words) if w.strip(",.").capitalize() in reverse]
                if hits:
                    for i in rng.sample(hits, rng.randint(1, len(hits))):
                        w = words[i].strip(",.")
                        short = rng.choice(reverse[w.capitalize()])
                        words[i] = (short.upper() if w.isupper() else short) + ("," if words[i].endswith(",") else "")
                    out = " ".join(words)
            elif option == "drop":
                words = base.split()
                while len(words) > 1 and ABBREVIATIONS.get(fold(words[-1]), fold(words[-1])) in DESCRIPTORS:
                    words.pop()
                if len(words) < len(base.split()):
                    out = " ".join(words) + (f" {form}" if form and rng.random() < 0.3 else "")
            elif option == "location":
                city = entity.get("city") or ""
                english = self.countries.english(entity["country"])
                choices = [f"{name} ({english})"] + ([f"{name} - {city}", f"{name}, {city}", f"{base} {form} {city}".replace("  ", " ")] if city else [])
                out = rng.choice(choices)
            elif option == "legal":
                out = self.legal_noise(entity, name)
            elif option == "translit":
                if re.search(r"[^\x00-\x7f]", name):
                    table = rng.choice([{"ü": "ue", "ö": "oe", "ä": "ae", "Ü": "Ue", "Ö": "Oe", "Ä": "Ae", "ß": "ss", "ø": "o", "å": "aa", "é": "e", "è": "e"},
                                        {"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae"}])
                    out = "".join(table.get(c, c) for c in name)
                    out = unicodedata.normalize("NFKD", out)
                    out = "".join(c for c in out if not unicodedata.combining(c))
            elif option == "punct":
                out = rng.choice([re.sub(r"[.,]", "", name), name.replace(" & ", " and "), name.replace(" and ", " & "),
                                  name.replace(" ", "  ", 1), name.replace(", ", ",").replace(". ", "."), name.lower()])
            elif option == "typo":
                out = typo(name, rng)
            if out and out.strip() != name and self.safe(entity, out):
                return re.sub(r" {3,}", "  ", out.strip()), option
        return name, None

    def record_name(self, entity):
        rng = self.rng
        name = entity["name"]
        if "twin_form" not in entity and rng.random() < 0.15:
            candidate = self.legal_noise(entity, name)
            if self.safe(entity, candidate):
                name = candidate
        if "typed_name" in entity["classes"]:
            name, done = self.typed(entity, name)
            if rng.random() < 0.3:   # a second change; after a location qualifier, no legal form at the end
                name, _ = self.typed(entity, name, (done, "legal", "drop") if done == "location" else (done,))
        r = rng.random()
        if r < 0.08:
            name = name.upper()
        elif r < 0.11:
            name = name.lower()
        elif r < 0.14 and "twin_form" not in entity:
            candidate = re.sub(r"[.,]", "", name)
            name = candidate if self.safe(entity, candidate) else name
        elif r < 0.16:
            name = name.replace(" ", "  ", 1)
        if rng.random() < 0.02 and "twin_form" not in entity:
            candidate = typo(name, rng)
            name = candidate if self.safe(entity, candidate) else name
        return name

    def url(self, domain):
        rng = self.rng
        return rng.choice([f"https://www.{domain}/", f"http://{domain}", domain, f"www.{domain}", f"https://{domain}/about",
                           f"https://www.{domain}/{rng.choice(['en', 'de', 'en-us', 'home.html', 'contact'])}",
                           f"https://{rng.choice(['us', 'eu', 'shop', 'app', 'global', 'corporate'])}.{domain}", domain.upper(),
                           f"https://www.{domain}"])

    def tenant_url(self, tenant):
        rng = self.rng
        return rng.choice([f"https://{tenant}/", tenant, f"http://{tenant}", f"https://{tenant}", f"https://{tenant}/contact"])

    def record_site(self, entity, index, tenant_index):
        rng = self.rng
        freemail = FREEMAIL.get(entity["country"], []) + FREEMAIL["*"]
        if "tenant" in entity:
            if rng.random() < 0.08:
                return ""
            if entity["tenant_mode"] == "same" or index == tenant_index:
                return self.tenant_url(entity["tenant"])
            return self.url(entity["domains"][0])
        r = rng.random()
        twin = "twin_form" in entity        # a legal twin is told apart by its domain: rarely without it
        if r < (0 if twin else 0.05):
            return rng.choice([f"https://{rng.choice(freemail)}", rng.choice(freemail), f"info.{self.label(entity['name'])}@{rng.choice(freemail)}"])
        if not entity["domains"] or r < (0.08 if twin else 0.23):
            return ""
        if "alt" in entity:
            domain = entity["alt"] if (index + entity["alt_flip"]) % 2 else entity["domains"][0]
        else:
            domain = entity["domains"][0] if len(entity["domains"]) == 1 or rng.random() < 0.8 else rng.choice(entity["domains"])
        return self.url(domain)

    def record_country(self, entity, source, has_site, name):
        rng = self.rng
        code = entity["country"]
        determinable = has_site or self.others(entity, name) == 0   # a blank country must not make it ambiguous
        if determinable and rng.random() < 0.11:
            entity["blank"] = True
            return ""
        if rng.random() < 0.075:
            entity["exotic"] = True
            return self.countries.exotic(code, rng)
        return self.countries.common(code, source, rng)

    def record_city(self, city):
        rng = self.rng
        if not city or rng.random() < 0.22:
            return ""
        r = rng.random()
        if r < 0.06:
            return city.upper()
        if r < 0.1 and city in LOCAL_CITIES:
            return LOCAL_CITIES[city]
        if r < 0.12:
            return city.lower()
        return city

    def record_postcode(self, postcode):
        rng = self.rng
        if not postcode or rng.random() < 0.3:
            return ""
        r = rng.random()
        if r < 0.08 and re.fullmatch(r"0\d{3,5}", postcode):
            return postcode.lstrip("0")                # a spreadsheet ate the leading zero
        if r < 0.14:
            return postcode.replace(" ", "").replace("-", "")
        if r < 0.18 and re.fullmatch(r"\d{5}-\d{4}", postcode):
            return postcode[:5]
        return postcode

    def record_phone(self, entity):
        rng = self.rng
        phone = entity["phone"]
        if not phone or rng.random() < 0.38:
            return ""
        if rng.random() < 0.08:
            phone = self.phone_number(entity["country"])  # another line of the company
        area, rest = phone
        cc = CALLING[entity["country"]]
        if cc == "1":
            return rng.choice([f"({area}) {rest[:3]}-{rest[3:]}", f"{area}-{rest[:3]}-{rest[3:]}", f"+1 {area} {rest[:3]} {rest[3:]}",
                               f"{area}.{rest[:3]}.{rest[3:]}", f"{area}{rest}", f"1-{area}-{rest[:3]}-{rest[3:]}",
                               f"+1 ({area}) {rest[:3]}-{rest[3:]} ext. {rng.randint(100, 999)}"])
        half = len(rest) // 2
        if not area:
            return rng.choice([f"+{cc} {rest}", f"+{cc}-{rest[:half]}-{rest[half:]}", f"00{cc} {rest[:half]} {rest[half:]}",
                               f"{rest[:half]} {rest[half:]}", rest, f"(+{cc}) {rest}"])
        return rng.choice([f"+{cc} {area} {rest}", f"+{cc}-{area}-{rest}", f"00{cc} {area} {rest[:half]} {rest[half:]}",
                           f"0{area} {rest}" if area else rest, f"(0{area}) {rest[:half]} {rest[half:]}" if area else rest,
                           f"+{cc}{area}{rest}", f"+{cc} ({area}) {rest[:half]}-{rest[half:]}"])

    def emit(self, source, entity, index, tenant_index, prevent=False, name=None):
        site = self.record_site(entity, index, tenant_index)
        has_site = bool(site) and self.psl.registrable(host_of(site)) not in self.freemail_domains
        record_id = f"{'001' if source == 'sfdc' else '9'}{len(self.rows[source]):09d}"
        employees = entity["employees"]
        r = self.rng.random()
        employees = "" if r < 0.12 else str(max(1, int(employees * self.rng.uniform(0.8, 1.25)))) if r < 0.35 else str(employees)
        name = name or self.record_name(entity)
        self.rows[source].append({
            "id": record_id, "name": name, "site": site,
            "country": self.record_country(entity, source, has_site, name), "prevent": "true" if prevent else "",
            "employees": employees, "city": self.record_city(entity.get("city")),
            "postcode": self.record_postcode(entity.get("postcode") or ""), "phone": self.record_phone(entity)})
        self.truth.append((source, record_id, entity["id"]))

    def records(self):
        rng = self.rng
        branches = []
        for entity in list(self.entities):
            entity["alt_flip"] = rng.randint(0, 1)
            placement = rng.random()
            sources = ["sfdc", "hubspot"] if placement < 0.34 else ["sfdc"] if placement < 0.67 else ["hubspot"]
            if rng.random() < 0.025:
                sources.append(rng.choice(sources))   # a duplicate inside one CRM
            tenant_index = rng.randrange(len(sources))
            for index, source in enumerate(sources):
                self.emit(source, entity, index, tenant_index)
            if entity["domains"] and "tenant" not in entity and rng.random() < 0.012:
                branches.append(entity)
        counts = Counter((e["country"], e["city"]) for e in self.entities if e.get("city"))
        cities = defaultdict(list)
        for (country, city), seen in sorted(counts.items()):
            if seen >= 3:
                cities[country].append(city)
        for parent in branches:
            others = [c for c in cities[parent["country"]] if c != parent.get("city")] or ["Nord", "Sud", "Ost", "West"]
            city = rng.choice(others)
            base = plain_base(parent["name"])
            branch = self.add({"name": rng.choice(FRANCHISE).format(b=base, c=city), "country": parent["country"],
                               "domains": parent["domains"][:1], "city": city, "postcode": "", "origin": "derived",
                               "employees": rng.randint(5, 200)}, "franchise")
            branch["phone"] = self.phone_number(branch["country"])
            branch["alt_flip"] = 0
            self.emit("sfdc", branch, 0, 0, prevent=True, name=branch["name"])
        for e in self.entities:
            classes = [c for c in e["classes"] if c]
            if e.get("exotic"):
                classes.append("country")
            if e.get("blank"):
                classes.append("blank_country")
            self.classes[e["id"]] = classes or ["plain"]

    def write(self, out):
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "salesforce.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["Account ID", "Account Name", "Website", "Billing Country", "Employees", "Prevent Override",
                        "Billing City", "Billing Zip/Postal Code", "Phone"])
            for r in self.rows["sfdc"]:
                w.writerow([r["id"], r["name"], r["site"], r["country"], r["employees"], r["prevent"], r["city"], r["postcode"], r["phone"]])
        with open(os.path.join(out, "hubspot.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["Record ID", "Company name", "Website URL", "Country/Region", "Number of Employees", "Prevent Override",
                        "City", "Postal Code", "Phone Number"])
            for r in self.rows["hubspot"]:
                w.writerow([r["id"], r["name"], r["site"], r["country"], r["employees"], r["prevent"], r["city"], r["postcode"], r["phone"]])
        with open(os.path.join(out, "truth.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["source", "source_id", "entity"])
            w.writerows(self.truth)
        with open(os.path.join(out, "classes.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["entity", "class"])
            for entity_id in sorted(self.classes):
                for c in self.classes[entity_id]:
                    w.writerow([entity_id, c])


def typo(text, rng):
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    op = rng.choice(["swap", "drop", "double", "replace"])
    if op == "swap" and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if op == "drop":
        return text[:i] + text[i + 1:]
    if op == "double":
        return text[:i] + text[i] + text[i:]
    keyboard = "qwertyuiopasdfghjklzxcvbnm"
    near = keyboard[max(0, keyboard.find(text[i].lower()) - 1)] if text[i].lower() in keyboard else "e"
    return text[:i] + (near.upper() if text[i].isupper() else near) + text[i + 1:]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    count, out = int(sys.argv[1]), sys.argv[2]
    generator = Generator(count, int(sys.argv[3]) if len(sys.argv) > 3 else 11)
    generator.build()
    generator.records()
    generator.write(out)
    shares = Counter(c for cs in generator.classes.values() for c in cs)
    total = len(generator.entities)
    print(f"{len(generator.rows['sfdc'])} salesforce + {len(generator.rows['hubspot'])} hubspot records, {total} companies; "
          + ", ".join(f"{c} {v / total:.1%}" for c, v in shares.most_common()))


if __name__ == "__main__":
    main()
