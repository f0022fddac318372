"""Spark's datetime patterns (``yyyy-MM-dd HH:mm:ss``) as the strftime patterns the engine parses
and formats with: the role of Spark's DateTimeFormatterHelper.

It sits below the function registry and the per-executor engine, which both read a pattern:
``to_date``/``date_format`` when they resolve, the engine's ``spark_strptime`` when a task runs.
"""


def _java_datetime_format(fmt):
    """A Java DateTimeFormatter pattern as a strftime pattern (the letters courses use).

    >>> _java_datetime_format("yyyy-MM-dd HH:mm:ss")
    '%Y-%m-%d %H:%M:%S'
    >>> _java_datetime_format("d MMM yyyy 'at' h a")
    '%-d %b %Y at %-I %p'
    """
    out, i = "", 0
    table = [("yyyy", "%Y"), ("yy", "%y"), ("y", "%Y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("M", "%-m"),
             ("dd", "%d"), ("d", "%-d"), ("HH", "%H"), ("H", "%-H"), ("hh", "%I"), ("h", "%-I"), ("mm", "%M"),
             ("m", "%-M"), ("ss", "%S"), ("s", "%-S"), ("SSSSSS", "%f"), ("SSS", "%g"), ("a", "%p"), ("EEEE", "%A"),
             ("EEE", "%a"), ("E", "%a"), ("DDD", "%j"), ("D", "%-j"), ("XXX", "%z"), ("Z", "%z"), ("z", "%Z")]
    while i < len(fmt):
        if fmt[i] == "'":
            j = fmt.find("'", i + 1)
            j = len(fmt) if j < 0 else j
            out += fmt[i + 1:j].replace("%", "%%") or "'"
            i = j + 1
            continue
        for k, v in table:
            if fmt.startswith(k, i):
                out += v
                i += len(k)
                break
        else:
            out += "%%" if fmt[i] == "%" else fmt[i]
            i += 1
    return out
