"""Hypothesis strategies for hostile input: junk strings and numbers, and whole form posts.

A post is a ``dict[str, list[str]]`` (the shape of ``QueryDict.setlist``): a key missing from
the dict is a missing field, a list of two or more values is a repeated key. Valid values
are read from the form field's own type, choices, range and queryset, so that some posts
pass validation and reach the save path.
"""

from __future__ import annotations

import os
from datetime import date

from django import forms
from hypothesis import strategies as st

HUGE = 10**5

# How many examples each endpoint gets; REALIGN_FUZZ_EXAMPLES=500 for a deep run.
EXAMPLES = int(os.environ.get("REALIGN_FUZZ_EXAMPLES", "12"))

NUMERIC_JUNK = [
    "-1e308",
    "1e308",
    "1e999",
    "-1e999",
    "1e-400",
    "99999999999999999999",
    "-99999999999999999999",
    "9" * 400,
    "-1",
    "-0",
    "0",
    "32768",
    "2147483648",
    "9223372036854775808",
    "NaN",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "1_000",
    "0x10",
    "1,5",
    " 12 ",
    "１２",  # fullwidth digits
    "٣",  # Arabic-Indic digit three
    "1e",
    ".",
    "-",
    "+",
]
TYPE_JUNK = ["true", "false", "True", "None", "null", "[]", "{}", "abc", "on", "off", "[1, 2]"]
DATE_JUNK = [
    "abc",
    "2026-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2026-01-01",
    "2026-13-01",
    "20261120",
    "2026-11-20T00:00:00",
    "2026-11-20\x00",
    "1e999",
    "31/12/2026",
]
WEIRD_TEXT = [
    "\x00",
    "a\x00b",
    "\x00" * 10,
    "\r\n",
    "\u2028\u2029",
    "\ufeff",
    "\u200b\u200d",
    "\u202eevil\u202c",
    "\u202e\u0645\u0631\u062d\u0628\u0627",  # RTL override + Arabic
    "مرحبا بالعالم",
    "שלום עולם",
    "😀",
    "👩🏽‍⚕️",
    "🏳️‍🌈",
    "\U0001f4a9" * 50,
    "Z\u0351\u0352\u0353\u0354\u0355",  # combining marks
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "%s%s%n",
    "{{ 7*7 }}",
    "../../etc/passwd",
    " ",
    "\t",
]

CONTROL = st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"])
EMOJI_RTL = st.sampled_from(
    ["😀", "\U0001f3fd", "\u200d", "\U0001f4a9", "\u202e", "\u202c", "ا", "ש", "ع", "\u200f"]
)


def _repeat(seed: str) -> str:
    seed = seed or "x"
    return (seed * (HUGE // len(seed) + 1))[:HUGE]


huge_text = st.text(min_size=1, max_size=8).map(_repeat)

junk_text = st.one_of(
    st.just(""),
    st.sampled_from(WEIRD_TEXT),
    st.sampled_from(NUMERIC_JUNK),
    st.sampled_from(TYPE_JUNK),
    st.sampled_from(DATE_JUNK),
    st.text(max_size=40),
    st.text(alphabet=CONTROL, min_size=1, max_size=20),
    st.text(alphabet=st.one_of(EMOJI_RTL, st.characters(codec="utf-8")), max_size=40),
    huge_text,
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)

MISSING = object()


def _choice_keys(field) -> list[str]:
    keys = []
    for key, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            keys.extend(str(k) for k, _ in label)
        else:
            keys.append("" if key is None else str(key))
    return [k for k in keys if k != ""] or [""]


def valid_values(field: forms.Field, override=None) -> st.SearchStrategy[list[str]]:
    """Plausible values for a form field, as the list of strings a browser would post."""
    if override is not None:
        return override.map(lambda v: v if isinstance(v, list) else [v])
    one = _valid_one(field)
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(one, max_size=4, unique=True)
    return one.map(lambda v: [v])


def _valid_one(field: forms.Field) -> st.SearchStrategy[str]:
    if isinstance(field, forms.ModelChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:50]]
        return st.sampled_from(pks) if pks else st.just("")
    if isinstance(field, forms.ChoiceField):
        return st.sampled_from(_choice_keys(field))
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(field, forms.DateField):
        return st.dates(date(1910, 1, 1), date.today()).map(date.isoformat)
    spec = getattr(field, "spec", None)  # assessments.forms.MeasureField
    if spec is not None:
        if spec.integer:
            return st.integers(int(spec.minimum), int(spec.maximum)).map(str)
        return st.floats(spec.minimum, spec.maximum).map(lambda f: f"{f:.2f}")
    if isinstance(field, forms.IntegerField):
        low = field.min_value if field.min_value is not None else -1000
        high = field.max_value if field.max_value is not None else 1000
        return st.integers(low, high).map(str)
    if isinstance(field, forms.FloatField | forms.DecimalField):
        return st.floats(-1000, 1000).map(lambda f: f"{f:.3f}")
    if isinstance(field, forms.EmailField):
        return st.one_of(st.just("ana@example.org"), st.emails())
    if isinstance(field, forms.FileField):
        return st.just("")
    if isinstance(field, forms.CharField):
        limit = min(field.max_length or 200, 200)
        alphabet = st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"])
        return st.text(alphabet=alphabet, min_size=1, max_size=limit)
    return st.text(max_size=20)


def junk_values() -> st.SearchStrategy[list[str]]:
    """One junk value, or several for the same key (QueryDict.setlist)."""
    return st.one_of(
        junk_text.map(lambda v: [v]),
        st.lists(junk_text, min_size=2, max_size=4),
    )


@st.composite
def form_post(draw, fields: dict[str, forms.Field], overrides: dict | None = None) -> dict:
    """A post for these (prefixed) field names: each field missing, valid, junk or repeated.

    ``overrides`` maps a field name to a strategy of valid values (for example the exact
    name an erase form asks for). One example in four is all-valid so the save path runs.
    """
    overrides = overrides or {}
    all_valid = draw(st.integers(0, 3)) == 0
    data: dict[str, list[str]] = {}
    for name, field in fields.items():
        valid = valid_values(field, overrides.get(name))
        if all_valid:
            data[name] = draw(valid)
            continue
        mode = draw(st.sampled_from(["valid", "junk", "missing", "mixed"]))
        if mode == "missing":
            continue
        if mode == "valid":
            data[name] = draw(valid)
        elif mode == "junk":
            data[name] = draw(junk_values())
        else:
            data[name] = draw(valid) + draw(junk_values())
    if draw(st.integers(0, 4)) == 0:  # unknown keys beside the real ones
        extra = draw(
            st.dictionaries(junk_text.filter(lambda k: len(k) < 200), junk_values(), max_size=3)
        )
        for key, values in extra.items():
            data.setdefault(key, values)
    return data


query_params = st.dictionaries(
    st.one_of(st.text(max_size=10), st.sampled_from(WEIRD_TEXT)), junk_values(), max_size=3
)

raw_query = st.one_of(
    st.sampled_from(
        ["%", "%zz", "%FF%FE", "%00", "&&&", "=", "==&==", "a=%E2%82", "q=%C0%AF", ";;", "+"]
    ),
    st.text(alphabet="%&=+;?#abcXYZ019\x7f", max_size=30),
)


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    junk_text.filter(lambda s: len(s) < 1000),
    st.text(max_size=20),
)

json_documents = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=15), children, max_size=5),
    ),
    max_leaves=25,
)
