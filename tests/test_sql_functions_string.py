"""String, math, hash, bitwise and conditional SQL functions on Sparklet and on real PySpark 4.

Each case selects a batch of function calls over a small table, once through the DataFrame API
(``pyspark.sql.functions``) and once as SQL text over a temp view; the ``show()`` text (generated
column names, values, NULLs, widths) must be byte for byte what real PySpark prints, and an error
must be the same error class. Both sessions see the same rows, NULLs included.
"""

import contextlib
import io
from decimal import Decimal

import pytest

pytestmark = pytest.mark.pyspark

STRINGS = ("s STRING, t STRING, n INT", [("Spark SQL", "SQL", 3), ("  pad me  ", "x", -2), ("한국어 text", "", 0),
                                         ("a.b.c.d", ".", 2), (None, None, None)])
NUMBERS = ("i INT, l BIGINT, d DOUBLE, m DECIMAL(10,3)", [(7, -8, 2.5, Decimal("1.255")),
                                                         (-3, 4, -0.1, Decimal("-2.5")),
                                                         (0, 0, float("nan"), Decimal(0)), (None, None, None, None)])
URLS = ("u STRING", [("https://user@spark.apache.org:8080/docs/latest?k=v&x=1#top",), ("file:///tmp/a",),
                     ("http://h/p?k=",), (None,)])
# spark.range(0, 6, 1, 3) on both sides: seeded random values depend on the partitioning
RANGE = None

# (name, table, DataFrame columns as a function of F, the same calls as SQL select list)
CASES = [
    ("case_and_length", STRINGS,
     lambda F: [F.lcase("s"), F.ucase("s"), F.char_length("s"), F.character_length("t")],
     "lcase(s), ucase(s), char_length(s), character_length(t)"),
    ("trim_family", STRINGS,
     lambda F: [F.ltrim("s"), F.rtrim("s"), F.btrim("s"), F.ltrim("s", F.lit(" p")), F.rtrim("s", F.lit("e ")),
                F.btrim("s", F.lit(" pS"))],
     "ltrim(s), rtrim(s), btrim(s), trim(LEADING ' p' FROM s), trim(TRAILING 'e ' FROM s), btrim(s, ' pS')"),
    ("padding", STRINGS,
     lambda F: [F.lpad("s", 12, "*"), F.rpad("s", 4, "-="), F.lpad("s", F.col("n"), "#"), F.rpad("t", 3, "")],
     "lpad(s, 12, '*'), rpad(s, 4, '-='), lpad(s, n, '#'), rpad(t, 3, '')"),
    ("search", STRINGS,
     lambda F: [F.instr("s", "S"), F.position(F.lit("a"), "s"), F.locate("a", "s", 3), F.contains("s", "t"),
                F.startswith("s", "t"), F.endswith("s", "t"), F.find_in_set(F.lit("b"), F.lit("a,b,c"))],
     "instr(s, 'S'), position('a', s), locate('a', s, 3), contains(s, t), startswith(s, t), endswith(s, t), "
     "find_in_set('b', 'a,b,c')"),
    ("slicing", STRINGS,
     lambda F: [F.left("s", F.lit(3)), F.right("s", F.col("n")), F.substring_index("s", ".", 2),
                F.substring_index("s", ".", -1), F.split_part("s", F.lit(" "), F.lit(2)), F.substr("s", F.lit(2)),
                F.overlay("s", F.lit("XY"), 2, 3)],
     "left(s, 3), right(s, n), substring_index(s, '.', 2), substring_index(s, '.', -1), split_part(s, ' ', 2), "
     "substr(s, 2), overlay(s, 'XY', 2, 3)"),
    ("replace_repeat_mask", STRINGS,
     lambda F: [F.replace("s", F.lit("a"), F.lit("4")), F.replace("s", F.lit(" ")), F.repeat("t", 3), F.mask("s"),
                F.quote("s"), F.soundex("s"), F.levenshtein("s", "t"), F.levenshtein("s", "t", 3)],
     "replace(s, 'a', '4'), replace(s, ' '), repeat(t, 3), mask(s), quote(s), soundex(s), levenshtein(s, t), "
     "levenshtein(s, t, 3)"),
    ("regexp_family", STRINGS,
     lambda F: [F.rlike("s", F.lit("[a-z]+")), F.regexp_like("s", F.lit("^S")), F.regexp_count("s", F.lit("[aeiou]")),
                F.regexp_extract_all("s", F.lit(r"(\w)(\w)"), 2), F.regexp_substr("s", F.lit("[A-Z]+")),
                F.regexp_instr("s", F.lit("[a-z]"))],
     r"rlike(s, '[a-z]+'), regexp_like(s, '^S'), regexp_count(s, '[aeiou]'), regexp_extract_all(s, '(\\w)(\\w)', 2), "
     "regexp_substr(s, '[A-Z]+'), regexp_instr(s, '[a-z]')"),
    ("like_family", STRINGS,
     lambda F: [F.col("s").like("%a%"), F.like("s", F.lit("_park%")), F.ilike("s", F.lit("%sql"))],
     "s LIKE '%a%', like(s, '_park%'), ilike(s, '%sql')"),
    ("url_and_sentences", STRINGS,
     lambda F: [F.url_encode("s"), F.url_decode(F.url_encode("s")), F.sentences("s"), F.elt(F.lit(2), "s", "t")],
     "url_encode(s), url_decode(url_encode(s)), sentences(s), elt(2, s, t)"),
    ("math_names", NUMBERS,
     lambda F: [F.pi(), F.e(), F.negative("i"), F.positive("d"), F.sign("d"), F.signum("i"), F.rint("d"),
                F.ceil("d"), F.ceiling("m"), F.floor("d", 1), F.ceil("m", 2)],
     "pi(), e(), negative(i), positive(d), sign(d), signum(i), rint(d), ceil(d), ceiling(m), floor(d, 1), ceil(m, 2)"),
    ("math_functions", NUMBERS,
     lambda F: [F.hypot("i", "d"), F.factorial("i"), F.cot("d"), F.sec("d"), F.log2("i"),
                F.pmod("i", F.lit(-5)), F.pmod("d", F.lit(-2.0))],
     "hypot(i, d), factorial(i), cot(d), sec(d), log2(i), pmod(i, -5), pmod(d, -2.0)"),
    ("error_remainder_by_zero", NUMBERS, lambda F: [F.pmod("i", "l")], "i % l"),
    ("error_split_part_zero", STRINGS, lambda F: [F.split_part("s", "t", F.lit(0))], "split_part(s, t, 0)"),
    ("bits_and_bases", NUMBERS,
     lambda F: [F.bin("i"), F.conv(F.col("i").cast("string"), 10, 16), F.conv(F.col("l").cast("string"), 10, -2),
                F.shiftleft("i", 30), F.shiftright("l", 1), F.shiftrightunsigned("i", 28), F.bitwise_not("l"),
                F.bit_count("i"), F.bit_get("l", F.lit(3))],
     "bin(i), conv(CAST(i AS STRING), 10, 16), conv(CAST(l AS STRING), 10, -2), shiftleft(i, 30), "
     "shiftright(l, 1), shiftrightunsigned(i, 28), ~l, bit_count(i), bit_get(l, 3)"),
    ("width_bucket", NUMBERS,
     lambda F: [F.width_bucket("d", F.lit(-1.0), F.lit(3.0), F.lit(4)), F.width_bucket("i", F.lit(10), F.lit(0), F.lit(5))],
     "width_bucket(d, -1.0, 3.0, 4), width_bucket(i, 10, 0, 5)"),
    ("hashes", STRINGS,
     lambda F: [F.sha("s"), F.sha2("s", 384), F.crc32("s"), F.hash("s", "n"), F.xxhash64("s", "n"), F.md5("t")],
     "sha(s), sha2(s, 384), crc32(s), hash(s, n), xxhash64(s, n), md5(t)"),
    ("hashes_of_numbers", NUMBERS,
     lambda F: [F.hash("i", "l", "d", "m"), F.xxhash64("i", "l", "d", "m"), F.xxhash64("d")],
     "hash(i, l, d, m), xxhash64(i, l, d, m), xxhash64(d)"),
    ("conditional", NUMBERS,
     lambda F: [F.nvl2("i", "l", F.lit(99)), F.nullifzero("i"), F.zeroifnull("l"), F.equal_null("i", "l"),
                F.equal_null("d", "d")],
     "nvl2(i, l, 99), nullifzero(i), zeroifnull(l), equal_null(i, l), equal_null(d, d)"),
    ("seeded_random", RANGE,
     lambda F: ["id", F.rand(42), F.randn(7), F.uniform(F.lit(5), F.lit(105), F.lit(3)), F.randstr(F.lit(8), F.lit(1)),
                F.uuid(F.lit(123))],
     "id, rand(42), randn(7), uniform(5, 105, 3), randstr(8, 1), uuid(123)"),
    ("try_arithmetic", NUMBERS,
     lambda F: [F.try_add("l", F.lit(9223372036854775807)), F.try_subtract("i", "l"), F.try_multiply("i", F.lit(2147483647)),
                F.try_divide("i", "l"), F.try_mod("i", "l"), F.try_divide("m", F.lit(0))],
     "try_add(l, 9223372036854775807), try_subtract(i, l), try_multiply(i, 2147483647), try_divide(i, l), "
     "try_mod(i, l), try_divide(m, 0)"),
    ("encodings", STRINGS,
     lambda F: [F.encode("s", "UTF-16"), F.decode(F.encode("t", "ISO-8859-1"), "ISO-8859-1"), F.unhex(F.hex("t")),
                F.to_binary("t", F.lit("utf-8")), F.try_to_binary("s", F.lit("hex")), F.chr("n"), F.reverse("s"),
                F.length(F.encode("s", "UTF-8")), F.octet_length("s"), F.bit_length(F.encode("t", "UTF-8"))],
     "encode(s, 'UTF-16'), decode(encode(t, 'ISO-8859-1'), 'ISO-8859-1'), unhex(hex(t)), to_binary(t, 'utf-8'), "
     "try_to_binary(s, 'hex'), chr(n), reverse(s), length(encode(s, 'UTF-8')), octet_length(s), "
     "bit_length(encode(t, 'UTF-8'))"),
    ("urls", URLS,
     lambda F: [F.parse_url("u", F.lit("HOST")), F.parse_url("u", F.lit("QUERY"), F.lit("k")),
                F.parse_url("u", F.lit("PATH")), F.try_parse_url("u", F.lit("REF"))],
     "parse_url(u, 'HOST'), parse_url(u, 'QUERY', 'k'), parse_url(u, 'PATH'), try_parse_url(u, 'REF')"),
    ("error_invalid_url", URLS, lambda F: [F.parse_url(F.lit("file:///tmp/a b"), F.lit("HOST"))],
     "parse_url('file:///tmp/a b', 'HOST')"),
    ("error_unmappable_character", STRINGS, lambda F: [F.encode("s", "ISO-8859-1")], "encode(s, 'ISO-8859-1')"),
    ("number_formats", NUMBERS,
     lambda F: [F.to_char("m", F.lit("$99,999.99")), F.to_char("i", F.lit("000S")), F.to_char("m", F.lit("99.9PR")),
                F.to_varchar("l", F.lit("9,999MI")), F.try_to_number(F.col("m").cast("string"), F.lit("99.999")),
                F.to_number(F.lit("-$1,234.5"), F.lit("S$9,999.99")), F.hmac(F.col("i").cast("string"), F.lit("m"))],
     "to_char(m, '$99,999.99'), to_char(i, '000S'), to_char(m, '99.9PR'), to_varchar(l, '9,999MI'), "
     "try_to_number(CAST(m AS STRING), '99.999'), to_number('-$1,234.5', 'S$9,999.99'), hmac(CAST(i AS STRING), 'm')"),
    ("session", NUMBERS,
     lambda F: [F.current_catalog(), F.current_database(), F.current_schema()],
     "current_catalog(), current_database(), current_schema()"),
]



def _batched(cases):
    """The cases over one table run as one query (a JVM query costs about a second on a busy
    machine); an error case runs alone, since its error would hide the others' output."""
    batches = {}
    for name, table, dataframe_cols, sql_cols in cases:
        key = name if name.startswith("error_") else id(table)
        batches.setdefault(key, []).append((name, table, dataframe_cols, sql_cols))
    for group in batches.values():
        names = [c[0] for c in group]
        yield ("+".join(names), group[0][1],
               (lambda fns: lambda F: [c for fn in fns for c in fn(F)])([c[2] for c in group]),
               ", ".join(c[3] for c in group))


BATCHES = list(_batched(CASES))


def _show(spark, F, table, dataframe_cols, sql_cols):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        df = spark.range(0, 6, 1, 3) if table is RANGE else spark.createDataFrame(table[1], table[0])
        df.createOrReplaceTempView("fn_t")
        for run in (lambda: df.select(*dataframe_cols(F)).show(truncate=False),
                    lambda: spark.sql("SELECT %s FROM fn_t" % sql_cols).show(truncate=False)):
            try:
                run()
            except Exception as e:  # the error class is part of what users see
                cond = getattr(e, "getCondition", lambda: None)()
                print("ERROR", type(e).__name__, cond)
    return out.getvalue()


@pytest.mark.parametrize("name,table,dataframe_cols,sql_cols", BATCHES,
                         ids=[b[0] if b[0].startswith("error_") else b[0].split("+")[0] + "..." for b in BATCHES])
def test_functions_print_as_pyspark(name, table, dataframe_cols, sql_cols, sparklet_spark, pyspark_session):
    from pyspark.sql import functions as PF
    from sparklet.sql import functions as SF

    expected = _show(pyspark_session, PF, table, dataframe_cols, sql_cols)
    got = _show(sparklet_spark, SF, table, dataframe_cols, sql_cols)
    # an error case must raise in PySpark, any other must not
    assert ("ERROR" in expected) == name.startswith("error_"), expected
    assert got == expected
