#!/usr/bin/env bash
# Regenerate the subset fonts in this directory from Debian font packages.
#
#   fonts/subset.sh               # apt-get + venv with pinned fontTools, then subset
#   fonts/subset.sh --no-install  # use the fonts already installed and the
#                                 # fontTools importable by `python3`
#
# Output is deterministic: same package versions + same fontTools version =>
# byte-identical files (head.modified is copied from the source font, never
# set to "now"; PYTHONHASHSEED is fixed).
set -euo pipefail

FONTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# ---------------------------------------------------------------------------
# Pinned inputs. The committed files were made with exactly these; other
# versions still work but give (slightly) different bytes.
# ---------------------------------------------------------------------------
FONTTOOLS_VERSION="${FONTTOOLS_VERSION:-4.68.0}"
declare -A EXPECTED_PKG_VERSION=(
  [fonts-noto-cjk]="1:20220127+repack1-1"
  [fonts-lxgw-wenkai]="1.250+repack-1"
)

# ---------------------------------------------------------------------------
# Unicode coverage. This is the ONLY place where ranges are defined.
# Characters a source font does not have are silently skipped.
# ---------------------------------------------------------------------------
COMMON_RANGES=(
  U+0020-007E   # ASCII: Latin letters, digits, punctuation in mixed text
  U+00A0-00FF   # Latin-1: NBSP, ° ± × ÷ · § ² ³ é ü (pinyin ü) etc.
  U+2000-206F   # General Punctuation: — – … ‘ ’ “ ” ‰ ※ and the space characters
  U+2070-209F   # Superscripts and subscripts (⁴ … where the font has them)
  U+2100-218F   # Letterlike symbols ℃ № ™ and number forms: fractions, Ⅰ–Ⅻ ⅰ–ⅻ
  U+2190-21FF   # Arrows
  U+2200-22FF   # Mathematical operators ≈ ≠ ≤ ≥ ∞ ∑ √
  U+2460-24FF   # Enclosed alphanumerics: ①–⑳ ⑴ ⒈ (numbered lists in articles)
  U+25A0-25FF   # Geometric shapes ■ □ ▲ △ ● ○ ◆ ◇ (bullets, section marks)
  U+2600-26FF   # Miscellaneous symbols ★ ☆ ☎ ♀ ♂ (only ~50-60 glyphs: cheap)
  U+3000-303F   # CJK Symbols and Punctuation: 　 、 。 〈 〉 《 》 「 」 【 】 〔 〕
  U+3300-33FF   # CJK Compatibility: ㎡ ㎏ ㎞ ㏄ (units in news copy)
  U+FE10-FE1F   # Vertical forms ︐ ︑ ︒ (vertical headlines)
  U+FE30-FE4F   # CJK compatibility forms ︵ ︶ ﹁ ﹂ (vertical headlines)
  U+FF00-FFEF   # Halfwidth and Fullwidth Forms: （ ） ， ： ； ！ ？ ０–９ Ａ–Ｚ
  GB2312        # Every non-hanzi character of GB 2312 (pinyin ā á ǎ à, Greek,
                # Cyrillic, kana, bopomofo, box drawing, ㈠–㈩ …), computed from
                # Python's gb2312 codec, so each face is a superset of GB 2312.
)
HANZI_URO=(
  U+4E00-9FFF   # CJK Unified Ideographs: superset of GB 2312's 6763 hanzi and of
                # almost all of 通用规范汉字表 (8105) — every face keeps this
)
HANZI_EXT_A=(
  U+3400-4DBF   # CJK Extension A: rare characters in personal and place names —
                # body face (Song regular) only, the other faces are display faces
)

# OpenType layout features kept: all of them ('*'). The ones that matter for
# Chinese typesetting:
#   vert vrt2        vertical glyph substitution (vertical headlines)
#   vkrn vhal vpal   vertical kerning / half-width / proportional metrics
#   halt palt kern   horizontal half-width / proportional metrics, kerning
#   locl             localized forms (only the Simplified-Chinese/default ones
#                    survive, see LANGSYS_DROP)
#   fwid hwid pwid   full-, half-, proportional-width forms
#   ccmp             joins "——" (two U+2014) into one unbroken 2-em dash in Noto
# Measured: '*' costs 0.2-0.4 % over that minimal list once LANGSYS_DROP is
# applied, so nothing is dropped.
LAYOUT_FEATURES="*"

# OpenType language systems removed from GSUB/GPOS before subsetting. Their
# `locl` lookups map ~8000 ideographs each to Japanese / Korean / Traditional
# (TW, HK) glyph shapes; keeping them would pull in ~6 MB of glyphs per Noto
# face that Simplified-Chinese text never uses. DFLT and ZHS are kept.
LANGSYS_DROP="JAN,KOR,ZHT,ZHH"

# ---------------------------------------------------------------------------
# The five output files.
#   output | source file | TTC member | expected family (name ID 1) |
#   coverage | rename as "family|Chinese family|PostScript name" (empty: keep)
# LXGW WenKai is renamed: its copyright (Debian) declares the Reserved Font
# Names "霞鹜" and "LXGW", and under OFL-1.1 a subset is a Modified Version,
# which may not use a Reserved Font Name as its primary font name.
# ---------------------------------------------------------------------------
NOTO=/usr/share/fonts/opentype/noto
WENKAI=/usr/share/fonts/truetype/lxgw-wenkai
FACES=(
  "NotoSerifCJKsc-Regular-subset.otf|$NOTO/NotoSerifCJK-Regular.ttc|2|Noto Serif CJK SC|body|"
  "NotoSerifCJKsc-Bold-subset.otf|$NOTO/NotoSerifCJK-Bold.ttc|2|Noto Serif CJK SC|display|"
  "NotoSansCJKsc-Regular-subset.otf|$NOTO/NotoSansCJK-Regular.ttc|2|Noto Sans CJK SC|display|"
  "NotoSansCJKsc-Bold-subset.otf|$NOTO/NotoSansCJK-Bold.ttc|2|Noto Sans CJK SC|display|"
  "BanmianWenKai-Regular-subset.ttf|$WENKAI/LXGWWenKai-Regular.ttf|0|LXGW WenKai|display|Banmian WenKai|版面文楷|BanmianWenKai-Regular"
)

join_by_comma() { local IFS=,; echo "$*"; }
export BANMIAN_COMMON="$(join_by_comma "${COMMON_RANGES[@]}")"
export BANMIAN_URO="$(join_by_comma "${HANZI_URO[@]}")"
export BANMIAN_EXTA="$(join_by_comma "${HANZI_EXT_A[@]}")"
export BANMIAN_FEATURES="$LAYOUT_FEATURES"
export BANMIAN_LANGSYS_DROP="$LANGSYS_DROP"

# ---------------------------------------------------------------------------
# Install inputs.
# ---------------------------------------------------------------------------
PYTHON=python3
if [[ "${1:-}" != "--no-install" ]]; then
  SUDO=""
  if [[ "$(id -u)" -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update
  # fonts-noto-cjk holds Regular and Bold; fonts-noto-cjk-extra (other
  # weights) is not needed for these five files.
  $SUDO apt-get install -y fonts-noto-cjk fonts-lxgw-wenkai python3-venv
  VENV="${BANMIAN_FONT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/banmian-fonttools-$FONTTOOLS_VERSION}"
  if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/pip" install --quiet "fonttools==$FONTTOOLS_VERSION"
  PYTHON="$VENV/bin/python"
fi

for pkg in "${!EXPECTED_PKG_VERSION[@]}"; do
  have="$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || echo none)"
  if [[ "$have" != "${EXPECTED_PKG_VERSION[$pkg]}" ]]; then
    echo "warning: $pkg is $have, committed subsets were made from ${EXPECTED_PKG_VERSION[$pkg]}" >&2
  fi
done
have_ft="$("$PYTHON" -c 'import fontTools; print(fontTools.version)')"
if [[ "$have_ft" != "$FONTTOOLS_VERSION" ]]; then
  echo "warning: fontTools is $have_ft, committed subsets were made with $FONTTOOLS_VERSION" >&2
fi

# ---------------------------------------------------------------------------
# Subset (one process per face, in parallel; each needs ~0.5 GB RAM).
# ---------------------------------------------------------------------------
export PYTHONHASHSEED=0
SUBSET_PY="$(mktemp)"
trap 'rm -f "$SUBSET_PY"' EXIT
cat >"$SUBSET_PY" <<'PY'
import os, sys
from fontTools import subset

out, src, index, expect_family, coverage = sys.argv[1:6]
rename = sys.argv[6:9] if len(sys.argv) > 6 and sys.argv[6] else None

def parse(spec):
    cps = set()
    for item in filter(None, spec.split(",")):
        if item == "GB2312":
            for hi in range(0xA1, 0xF8):
                for lo in range(0xA1, 0xFF):
                    try:
                        cps.add(ord(bytes([hi, lo]).decode("gb2312")))
                    except UnicodeDecodeError:
                        pass
            continue
        lo, _, hi = item.removeprefix("U+").partition("-")
        cps.update(range(int(lo, 16), int(hi or lo, 16) + 1))
    return cps

wanted = parse(os.environ["BANMIAN_COMMON"]) | parse(os.environ["BANMIAN_URO"])
if coverage == "body":
    wanted |= parse(os.environ["BANMIAN_EXTA"])

opts = subset.Options()
opts.font_number = int(index)
opts.layout_features = os.environ["BANMIAN_FEATURES"].split(",")
opts.hinting = False            # print output: hints are useless, -18 % size
opts.desubroutinize = False     # measured: desubroutinizing makes CFF bigger
opts.notdef_outline = True      # visible .notdef box for missing glyphs
opts.name_IDs = ["*"]           # keep copyright / licence / designer records
opts.name_languages = ["*"]     # keep the Chinese (0x0804) names
opts.name_legacy = False        # drop Mac-platform duplicates
opts.recalc_timestamp = False   # keep head.modified of the source: reproducible

font = subset.load_font(src, opts)
family = font["name"].getDebugName(1)
if family != expect_family:
    sys.exit(f"{src}#{index}: family is {family!r}, expected {expect_family!r}")

drop = set(os.environ["BANMIAN_LANGSYS_DROP"].split(","))
for tag in ("GSUB", "GPOS"):
    if tag in font:
        for rec in font[tag].table.ScriptList.ScriptRecord:
            s = rec.Script
            s.LangSysRecord = [r for r in s.LangSysRecord if r.LangSysTag.strip() not in drop]
            s.LangSysCount = len(s.LangSysRecord)

source_cmap = set(font.getBestCmap())
subsetter = subset.Subsetter(opts)
subsetter.populate(unicodes=wanted)
subsetter.subset(font)

name = font["name"]
if rename:
    fam, fam_zh, ps = rename
    orig_version = name.getDebugName(5)
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16) and rec.langID == 0x0804:
            rec.string = fam_zh
        elif rec.nameID in (1, 4, 16):
            rec.string = fam
        elif rec.nameID == 3:
            rec.string = f"{fam}:{orig_version.split(';')[0]};subset"
        elif rec.nameID == 6:
            rec.string = ps
    name.setName(
        f"Subset of {expect_family} {orig_version}, made for banmian by fonts/subset.sh. "
        f"Renamed because the original font declares Reserved Font Names under the SIL OFL 1.1.",
        10, 3, 1, 0x409)
    ps_name = ps
else:
    ps_name = name.getDebugName(6)

if "CFF " in font:
    # The CFF inside the Noto .ttc is shared by all regions and carries the
    # Japanese names; make it agree with the (Simplified Chinese) name table.
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    old_ps = cff.fontNames[0]
    cff.fontNames[0] = ps_name
    top.FamilyName = name.getDebugName(1)
    top.FullName = name.getDebugName(4)
    if hasattr(top, "FDArray"):
        for fd in top.FDArray:
            if getattr(fd, "FontName", "").startswith(old_ps):
                fd.FontName = ps_name + fd.FontName[len(old_ps):]

got = set(font.getBestCmap())
missing = (wanted & source_cmap) - got
if missing:
    sys.exit(f"{out}: lost {len(missing)} code points, e.g. {sorted(missing)[:5]}")

subset.save_font(font, out, opts)
print(f"{out}: {font['maxp'].numGlyphs} glyphs, {len(got)} code points, "
      f"family {name.getDebugName(1)!r}, {os.path.getsize(out)} bytes")
PY

pids=()
for face in "${FACES[@]}"; do
  IFS='|' read -r out src index family coverage ren_fam ren_fam_zh ren_ps <<<"$face"
  "$PYTHON" "$SUBSET_PY" "$FONTS_DIR/$out.tmp" "$src" "$index" "$family" "$coverage" \
    "${ren_fam:-}" "${ren_fam_zh:-}" "${ren_ps:-}" &
  pids+=("$!")
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
if [[ "$status" -ne 0 ]]; then
  rm -f "$FONTS_DIR"/*.tmp
  echo "subsetting failed" >&2
  exit 1
fi
for face in "${FACES[@]}"; do
  out="${face%%|*}"
  mv -f "$FONTS_DIR/$out.tmp" "$FONTS_DIR/$out"
done
(cd "$FONTS_DIR" && sha256sum -- *.otf *.ttf)
