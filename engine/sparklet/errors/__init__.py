"""Exceptions an application sees, and how a task's failure is told to the user.

A task that raises on an executor is reported with the user's own frames only (engine frames are
dropped) and the arguments of the user's function that was running: for ``map(lambda x: 1/x)`` that
is the record. The exception is re-raised in the driver as the user's own type whenever it can be
unpickled there, so ``except ZeroDivisionError`` works as it would in plain Python.
"""

import linecache
import os
import sys
import sysconfig

from ..callsite import is_internal_file

_STDLIB_DIRS = tuple(
    os.path.abspath(p) for p in {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]}
)


class SparkException(Exception):
    """Base of the errors the engine raises itself."""


class JobCancelledError(SparkException):
    """The job was cancelled (cancelJob / cancelJobGroup / cancelAllJobs, an interrupt, stop())."""


class PythonException(SparkException):
    """A task failed with an exception that cannot be re-created in the driver as its own type."""

    def __init__(self, message, exc_type_name="Exception"):
        super().__init__(message)
        self.exc_type_name = exc_type_name


class RemoteTraceback(Exception):
    """Carries the executor-side traceback text as the ``__cause__`` of a re-raised task error."""

    def __str__(self):
        return "\n" + self.args[0]


def _is_library_file(filename):
    if is_internal_file(filename):
        return True
    filename = os.path.abspath(filename)
    if "site-packages" in filename.split(os.sep) or "dist-packages" in filename.split(os.sep):
        return "cloudpickle" in filename
    return filename.startswith(_STDLIB_DIRS)


def _short_repr(value, limit=200):
    try:
        text = repr(value)
    except Exception as e:  # a broken __repr__ must not hide the real error
        text = "<unrepresentable %s: %s>" % (type(value).__name__, e)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def extract_user_frames(tb):
    """Frames of the traceback that belong to the user, as plain tuples that pickle anywhere:
    (filename, lineno, function name, {argument: repr}) for each."""
    frames = []
    while tb is not None:
        frame = tb.tb_frame
        code = frame.f_code
        if not _is_library_file(code.co_filename):
            argnames = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
            args = {a: _short_repr(frame.f_locals[a]) for a in argnames if a in frame.f_locals}
            frames.append((code.co_filename, tb.tb_lineno, code.co_name, args))
        tb = tb.tb_next
    return frames


def format_user_traceback(frames, exc_type_name, message):
    """Render frames from ``extract_user_frames`` like Python's own traceback. Source lines are
    looked up here, in the driver, where notebook cells are registered in ``linecache``."""
    lines = ["Traceback (most recent call last, executor frames of your code only):"]
    for filename, lineno, name, _args in frames:
        lines.append('  File "%s", line %d, in %s' % (filename, lineno, name))
        source = linecache.getline(filename, lineno).strip()
        if source:
            lines.append("    " + source)
    lines.append("%s: %s" % (exc_type_name, message) if message else exc_type_name)
    return "\n".join(lines)


def failing_call(frames):
    """'f(x=0)': the outermost user function the engine called, with its arguments (the record)."""
    if not frames:
        return None
    _filename, _lineno, name, args = frames[0]
    return "%s(%s)" % (name, ", ".join("%s=%s" % kv for kv in args.items()))


class StoppedContextError(RuntimeError):
    """An RDD or SparkContext operator called on a context that was stopped (Spark's
    "Cannot call methods on a stopped SparkContext"). Raised by the operator the user called,
    before any engine work, so that the traceback is the user's line and one engine frame."""


def stopped_context_error(sc):
    """The error for using `sc` after ``sc.stop()``; it says which context, and what to do now.

    >>> from types import SimpleNamespace
    >>> print(stopped_context_error(SimpleNamespace(master="local[2]", appName="app")))
    Cannot call methods on a stopped SparkContext: SparkContext(master='local[2]', appName='app') was shut down by stop(); create a new one, or use the active SparkContext (sc) and build this RDD again from it
    """
    return StoppedContextError(
        "Cannot call methods on a stopped SparkContext: SparkContext(master=%r, appName=%r) was shut down by "
        "stop(); create a new one, or use the active SparkContext (sc) and build this RDD again from it"
        % (sc.master, sc.appName))


def context_only_on_driver():
    return RuntimeError(
        "It appears that you are attempting to reference SparkContext from a broadcast variable, "
        "action, or transformation. SparkContext can only be used on the driver, not in code that "
        "it run on workers. For more information, see SPARK-5063."
    )


def rdd_only_on_driver():
    return RuntimeError(
        "It appears that you are attempting to broadcast an RDD or reference an RDD from an action "
        "or transformation. RDD transformations and actions can only be invoked by the driver, not "
        "inside of other transformations; for example, rdd1.map(lambda x: rdd2.values.count() * x) "
        "is invalid because the values transformation and count action cannot be performed inside "
        "of the rdd1.map transformation. For more information, see SPARK-5063."
    )


def in_executor():
    return os.environ.get("SPARKLET_EXECUTOR_ID") is not None and "sparklet.executor" in sys.modules


# ---------------------------------------------------------------------------------------------
# SQL-layer errors (reached as ``pyspark.errors``).
#
# Spark names every error it raises with an *error condition* (``DIVIDE_BY_ZERO``,
# ``UNRESOLVED_COLUMN.WITH_SUGGESTION``) whose message template and SQLSTATE live in one catalog.
# PySpark has two renderings of the same exception classes: errors raised by the Python side
# (``PySparkValueError`` ...) print ``[CONDITION] message``; errors the JVM raised and PySpark
# re-raised (``AnalysisException``, ``ParseException``, ``ArithmeticException`` ...) print
# ``[CONDITION] message SQLSTATE: xxxxx`` followed by their context (the failing plan or the SQL
# text with a pointer). Sparklet's SQL layer plays the JVM's part, so the classes of the second
# family render the second way. The catalog below holds the conditions Sparklet raises; a
# condition missing from it still renders, with its parameters, rather than failing.
#
# A traceback names an exception by its class's module: PySpark's re-raised classes live in
# ``pyspark.errors.exceptions.captured`` (subclasses of the same names in ``.base``, which
# ``pyspark.errors`` exports), its own in ``.base``. Sparklet has one class per name, defined
# here and placed (``__module__``) where PySpark defines it, so tracebacks read as PySpark's and
# ``except pyspark.errors.AnalysisException`` still catches it.
# ---------------------------------------------------------------------------------------------

_ERROR_CATALOG = {
    # Conditions Spark's SQL engine raises (JVM side).
    "AMBIGUOUS_REFERENCE": ("Reference <name> is ambiguous, could be: <referenceNames>.", "42704"),
    "ARITHMETIC_OVERFLOW": (
        '<message>.<alternative> If necessary set <config> to "false" to bypass this error.', "22003"),
    "CAST_INVALID_INPUT": (
        "The value <expression> of the type <sourceType> cannot be cast to <targetType> because it "
        "is malformed. Correct the value as per the syntax, or change its target type. Use "
        "`try_cast` to tolerate malformed input and return NULL instead.", "22018"),
    "CAST_OVERFLOW": (
        "The value <value> of the type <sourceType> cannot be cast to <targetType> due to an "
        "overflow. Use `try_cast` to tolerate overflow and return NULL instead.", "22003"),
    "COLUMN_ALREADY_EXISTS": (
        "The column <columnName> already exists. Choose another name or rename the existing "
        "column.", "42711"),
    "DATATYPE_MISMATCH": ("Cannot resolve <sqlExpr> due to data type mismatch:", "42K09"),
    "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES": (
        "the left and right operands of the binary operator have incompatible types (<left> and "
        "<right>).", None),
    "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE": (
        "the binary operator requires the input type <inputType>, not <actualDataType>.", None),
    "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION": ("cannot cast <srcType> to <targetType>.", None),
    "DATATYPE_MISMATCH.DATA_DIFF_TYPES": (
        "Input to <functionName> should all be the same type, but it's <dataType>.", None),
    "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT": (
        "the input <inputName> should be a foldable <inputType> expression; however, got "
        "<inputExpr>.", None),
    "DATATYPE_MISMATCH.BINARY_ARRAY_DIFF_TYPES": (
        "Input to function <functionName> should have been two <arrayType> with same element type, but "
        "it's [<leftType>, <rightType>].", None),
    "DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES": (
        "Input to <functionName> should have been <dataType> followed by a value with same element type, "
        "but it's [<leftType>, <rightType>].", None),
    "DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES": (
        "The data type of the column (<columnIndex>) do not have the same type: <leftType> "
        "(<leftParamIndex>) <> <rightType> (<rightParamIndex>).", None),
    "INVALID_LAMBDA_FUNCTION_CALL": ("Invalid lambda function call.", "42K0D"),
    "INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH": (
        "A higher order function expects <expectedNumArgs> arguments, but got <actualNumArgs>.", None),
    "INVALID_LAMBDA_FUNCTION_CALL.NON_HIGHER_ORDER_FUNCTION": (
        "A lambda function should only be used in a higher order function. However, its class is "
        "<class>, which is not a higher order function.", None),
    "DATATYPE_MISMATCH.NULL_TYPE": ("Null typed values cannot be used as arguments of <functionName>.", None),
    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE": (
        "The <paramIndex> parameter requires the <requiredType> type, however <inputSql> has the "
        "type <inputType>.", None),
    "DATATYPE_MISMATCH.CANNOT_DROP_ALL_FIELDS": ("Cannot drop all fields in struct.", None),
    "DIVIDE_BY_ZERO": (
        "Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. "
        'If necessary set <config> to "false" to bypass this error.', "22012"),
    "FAILED_READ_FILE": ("Encountered error while reading file <path>.", "KD001"),
    "INVALID_INDEX_OF_ZERO": (
        "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).",
        "22003"),
    "CANNOT_DECODE_URL": (
        "The provided URL cannot be decoded: <url>. Please ensure that the URL is properly "
        "formatted and try again.", "22546"),
    "CONVERSION_INVALID_INPUT": (
        "The value <str> (<fmt>) cannot be converted to <targetType> because it is malformed. "
        "Correct the value as per the syntax, or change its format. Use <suggestion> to tolerate "
        "malformed input and return NULL instead.", "22018"),
    "INVALID_PARAMETER_VALUE": (
        "The value of parameter(s) <parameter> in <functionName> is invalid:", "22023"),
    "INVALID_PARAMETER_VALUE.BINARY_FORMAT": (
        "expects one of binary formats 'base64', 'hex', 'utf-8', but got <invalidFormat>.", None),
    "INVALID_PARAMETER_VALUE.CHARSET": ("expects one of the <charsets>, but got <charset>.", None),
    "INVALID_URL": (
        "The url is invalid: <url>. Use `try_parse_url` to tolerate invalid URL and return NULL "
        "instead.", "22P02"),
    "MALFORMED_CHARACTER_CODING": ("Invalid value found when performing <function> with <charset>", "22000"),
    "USER_RAISED_EXCEPTION": ("<errorMessage>", "P0001"),
    "REMAINDER_BY_ZERO": (
        "Remainder by zero. Use `try_mod` to tolerate divisor being 0 and return NULL instead. "
        'If necessary set <config> to "false" to bypass this error.', "22012"),
    "FAILED_READ_FILE.NO_HINT": ("", None),
    "FIELD_NOT_FOUND": ("No such struct field <fieldName> in <fields>.", "42704"),
    "GROUP_BY_POS_OUT_OF_RANGE": (
        "GROUP BY position <index> is not in select list (valid range is [1, <size>]).", "42805"),
    "INCOMPATIBLE_COLUMN_TYPE": (
        "<operator> can only be performed on tables with compatible column types. The "
        "<columnOrdinalNumber> column of the <tableOrdinalNumber> table is <dataType1> type which "
        "is not compatible with <dataType2> at the same column of the first table.<hint>.",
        "42825"),
    "INVALID_ARRAY_INDEX": (
        "The index <indexValue> is out of bounds. The array has <arraySize> elements. Use the SQL "
        "function `get()` to tolerate accessing element at invalid index and return NULL instead.",
        "22003"),
    "INVALID_ARRAY_INDEX_IN_ELEMENT_AT": (
        "The index <indexValue> is out of bounds. The array has <arraySize> elements. Use "
        "`try_element_at` to tolerate accessing element at invalid index and return NULL instead.",
        "22003"),
    # PySpark 4.3 prints this one without its SQLSTATE
    "DUPLICATED_MAP_KEY": ("Duplicate map key <key> was found, please check the input data.", None),
    "NULL_MAP_KEY": ("Cannot use null as map key.", "2200E"),
    "VECTOR_DIMENSION_MISMATCH": ("<message>", "22000"),
    "ILLEGAL_SEQUENCE_BOUNDARY": ("<message>", "42K0E"),
    "INVALID_EXTRACT_BASE_FIELD_TYPE": (
        "Can't extract a value from <base>. Need a complex type [STRUCT, ARRAY, MAP] but got "
        "<other>.", "42000"),
    "MALFORMED_RECORD_IN_PARSING": (
        "Malformed records are detected in record parsing: <badRecord>.\nParse Mode: "
        "<failFastMode>. To process malformed records as null result, try setting the option "
        "'mode' as 'PERMISSIVE'.", "22023"),
    "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION": ("", None),
    "MISSING_GROUP_BY": (
        "The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window "
        "functions using OVER clauses.", "42803"),
    "MISSING_AGGREGATION": (
        "The non-aggregating expression <expression> is based on columns which are not "
        "participating in the GROUP BY clause.\nAdd the columns or the expression to the GROUP BY, "
        "aggregate the expression, or use <expressionAnyValue> if you do not care which of the "
        "values within a group is returned.", "42803"),
    "NUM_COLUMNS_MISMATCH": (
        "<operator> can only be performed on inputs with the same number of columns, but the "
        "first input has <firstNumColumns> columns and the <invalidOrdinalNum> input has "
        "<invalidNumColumns> columns.", "42826"),
    "PARSE_SYNTAX_ERROR": ("Syntax error at or near <error><hint>.", "42601"),
    "PATH_ALREADY_EXISTS": (
        'Path <outputPath> already exists. Set mode as "overwrite" to overwrite the existing '
        "path.", "42K04"),
    "PATH_NOT_FOUND": ("Path does not exist: <path>.", "42K03"),
    "TABLE_OR_VIEW_ALREADY_EXISTS": (
        "Cannot create table or view <relationName> because it already exists.\nChoose a "
        "different name, drop or replace the existing object, or add the IF NOT EXISTS clause to "
        "tolerate pre-existing objects.", "42P07"),
    "TABLE_OR_VIEW_NOT_FOUND": (
        "The table or view <relationName> cannot be found. Verify the spelling and correctness of "
        "the schema and catalog.\nSearch path: <searchPath>.\nIf you did not qualify the name with "
        "a schema, verify the current_schema() output, or qualify the name with the correct schema "
        "and catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF "
        "EXISTS.", "42P01"),
    "TEMP_TABLE_OR_VIEW_ALREADY_EXISTS": (
        "Cannot create the temporary view <relationName> because it already exists.\nChoose a "
        "different name, drop or replace the existing view.", "42P07"),
    "TRANSPOSE_EXCEED_ROW_LIMIT": (
        "Number of rows exceeds the allowed limit of <maxValues> for TRANSPOSE. If this was "
        "intended, set <config> to at least the current row count.", "54006"),
    "TRANSPOSE_INVALID_INDEX_COLUMN": ("Invalid index column for TRANSPOSE because: <reason>", "42804"),
    "TRANSPOSE_NO_LEAST_COMMON_TYPE": (
        "Transpose requires non-index columns to share a least common type, but <dt1> and <dt2> do "
        "not.", "42K09"),
    "UNPIVOT_REQUIRES_VALUE_COLUMNS": (
        "At least one value column needs to be specified for UNPIVOT, all columns specified as "
        "ids.", "42K0A"),
    "UNPIVOT_VALUE_DATA_TYPE_MISMATCH": (
        "Unpivot value columns must share a least common type, some types do not: [<types>].",
        "42K09"),
    "UNABLE_TO_INFER_SCHEMA": (
        "Unable to infer schema for <format>. It must be specified manually.", "42KD9"),
    "UNRESOLVED_COLUMN": (
        "A column, variable, or function parameter with name <objectName> cannot be resolved.",
        "42703"),
    "UNRESOLVED_COLUMN.WITH_SUGGESTION": ("Did you mean one of the following? [<proposal>].", None),
    "UNRESOLVED_COLUMN.WITHOUT_SUGGESTION": ("", None),
    "UNRESOLVED_FIELD": (
        "A field with name <fieldName> cannot be resolved with the struct-type column "
        "<columnPath>.", "42703"),
    "UNRESOLVED_FIELD.WITH_SUGGESTION": ("Did you mean one of the following? [<proposal>].", None),
    "UNRESOLVED_ROUTINE": ("Cannot resolve routine <routineName> on search path <searchPath>.",
                           "42883"),
    "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE": (
        "The <format> datasource doesn't support the column <columnName> of the type "
        "<columnType>.", "0A000"),
    "WRONG_NUM_ARGS": ("The <functionName> requires <expectedNum> parameters but the actual "
                       "number is <actualNum>.", "42605"),
    "WRONG_NUM_ARGS.WITHOUT_SUGGESTION": (
        "Please, refer to '<docroot>/sql-ref-functions.html' for a fix.", None),
    # Conditions of Spark's date/time functions and grouping analytics.
    "CANNOT_PARSE_TIMESTAMP": (
        "<message>. Use `try_to_timestamp` to tolerate invalid input string and return NULL "
        "instead.", "22007"),
    "CANNOT_PARSE_INTERVAL": (
        "Unable to parse <intervalString>. Please ensure that the value provided is in a valid "
        "format for defining an interval. You can reference the documentation for the correct "
        "format. If the issue persists, please double check that the input value is not null or "
        "empty and try again.", "22006"),
    "DATETIME_FIELD_OUT_OF_BOUNDS": ("<rangeMessage>.", "22023"),
    "DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION": ("", None),
    "GROUPING_ID_COLUMN_MISMATCH": (
        "Columns of grouping_id (<groupingIdColumn>) does not match grouping columns "
        "(<groupByColumns>).", "42803"),
    "ILLEGAL_DAY_OF_WEEK": ("Illegal input for day of week: <string>.", "22009"),
    "INVALID_EXTRACT_FIELD": ("Cannot extract <field> from <expr>.", "42601"),
    "UNSUPPORTED_GROUPING_EXPRESSION": (
        "grouping()/grouping_id() can only be used with GroupingSets/Cube/Rollup.", "42K0E"),
    # Conditions PySpark raises on the Python side.
    "ATTRIBUTE_NOT_SUPPORTED": ("Attribute `<attr_name>` is not supported.", "0A000"),
    "CANNOT_CONVERT_TYPE": ("Cannot convert <from_type> into <to_type>.", None),
    "CANNOT_INFER_SCHEMA_FOR_TYPE": ("Can not infer schema for type: `<data_type>`.", "42K09"),
    "CANNOT_INFER_TYPE_FOR_FIELD": ("Unable to infer the type of the field `<field_name>`.",
                                    "42K09"),
    "CANNOT_MERGE_TYPE": ("Can not merge type `<data_type1>` and `<data_type2>`.", "42K09"),
    "CANNOT_PARSE_DATATYPE": ("Unable to parse datatype. <msg>.", None),
    "CANNOT_SET_TOGETHER": ("<arg_list> should not be set together.", None),
    "FIELD_DATA_TYPE_UNACCEPTABLE": ("<data_type> can not accept object <obj> in type <obj_type>.",
                                     None),
    "FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME": (
        "<field_name>: <data_type> can not accept object <obj> in type <obj_type>.", None),
    "FIELD_NOT_NULLABLE": ("Field is not nullable, but got None.", None),
    "FIELD_NOT_NULLABLE_WITH_NAME": ("<field_name>: This field is not nullable, but got None.",
                                     None),
    "FIELD_STRUCT_LENGTH_MISMATCH": (
        "Length of object (<object_length>) does not match with length of fields "
        "(<field_length>).", None),
    "FIELD_STRUCT_LENGTH_MISMATCH_WITH_NAME": (
        "<field_name>: Length of object (<object_length>) does not match with length of fields "
        "(<field_length>).", None),
    "FIELD_TYPE_MISMATCH": ("<obj> is not an instance of type <data_type>.", None),
    "FIELD_TYPE_MISMATCH_WITH_NAME": ("<field_name>: <obj> is not an instance of type <data_type>.",
                                      None),
    "INVALID_TYPE": ("Argument `<arg_name>` should not be a <arg_type>.", None),
    "KEY_NOT_EXISTS": ("Key `<key>` does not exist.", None),
    "NOT_COLUMN_OR_STR": ("Argument `<arg_name>` should be a Column or str, got <arg_type>.", None),
    "NOT_IMPLEMENTED": ("<feature> is not implemented.", None),
    "READ_ONLY": ("<object> is read-only.", None),
    "TOO_MANY_VALUES": ("Expected <expected> values for `<item>`, got <actual>.", None),
    "UNEXPECTED_TUPLE_WITH_STRUCT": ("Unexpected tuple <tuple> with StructType.", None),
    "UNSUPPORTED_DATA_TYPE": ("Unsupported DataType `<data_type>`.", None),
    "VALUE_OUT_OF_BOUNDS": (
        "Value for `<arg_name>` must be between <lower_bound> and <upper_bound> (inclusive), got "
        "<actual>", None),
    "NOT_EXPECTED_TYPE": ("Argument `<arg_name>` should be <expected_type>, got <arg_type>.", "42K09"),
    "VALUE_NOT_POSITIVE": ("Value for `<arg_name>` must be positive, got '<arg_value>'.", None),
    "DISALLOWED_TYPE_FOR_CONTAINER": (
        "Argument `<arg_name>`(type: <arg_type>) should only contain a type in [<allowed_types>], got "
        "<item_type>", None),
    "CANNOT_BE_EMPTY": ("At least one <item> must be specified.", None),
    "NEGATIVE_VALUE": ("Value for `<arg_name>` must be greater than or equal to 0, got '<arg_value>'.", None),
    "ONLY_ALLOWED_FOR_SINGLE_COLUMN": ("Argument `<arg_name>` can only be provided for a single column.", None),
    "UDF_RETURN_TYPE": ("Return type of the user-defined function should be <expected>, but is <actual>.", None),
    "UNBOUND_SQL_PARAMETER": (
        "Found the unbound parameter: <name>. Please, fix `args` and provide a mapping of the parameter "
        "to either a SQL literal or collection constructor functions such as `map()`, `array()`, "
        "`struct()`.", "42P02"),
}


def _fill(template, parameters):
    for key, value in (parameters or {}).items():
        template = template.replace("<%s>" % key, str(value))
    return template


def error_message(condition, parameters=None):
    """The message of an error condition (without the ``[CONDITION]`` prefix), as Spark fills it.

    >>> error_message("PATH_NOT_FOUND", {"path": "file:/tmp/x"})
    'Path does not exist: file:/tmp/x.'
    """
    main, _, sub = condition.partition(".")
    if main not in _ERROR_CATALOG:
        # A condition outside the catalog still says what it is and what it was given.
        return "%s %s" % (condition, parameters or {}) if parameters else condition
    template = _ERROR_CATALOG[main][0]
    if sub:
        template = template + " " + _ERROR_CATALOG.get(condition, ("",))[0]
    return _fill(template, parameters)


def error_sqlstate(condition):
    """The SQLSTATE of an error condition, or None.

    >>> error_sqlstate("DIVIDE_BY_ZERO")
    '22012'
    """
    if condition is None:
        return None
    entry = _ERROR_CATALOG.get(condition.split(".")[0])
    return entry[1] if entry else None


class PySparkException(Exception):
    """Base of PySpark's errors: an error condition, its message parameters and its SQLSTATE.

    >>> e = PySparkException(errorClass="CANNOT_MERGE_TYPE",
    ...                      messageParameters={"data_type1": "LongType", "data_type2": "DateType"})
    >>> str(e)
    '[CANNOT_MERGE_TYPE] Can not merge type `LongType` and `DateType`.'
    >>> e.getCondition(), e.getSqlState()
    ('CANNOT_MERGE_TYPE', '42K09')
    """

    # True for the classes PySpark re-raises from the JVM: they print their SQLSTATE and context.
    _engine_side = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _place(cls)

    def __init__(self, message=None, errorClass=None, messageParameters=None, contexts=None,
                 context=None):
        if message is None:
            message = error_message(errorClass, messageParameters) if errorClass else ""
        self._message = message
        self._errorClass = errorClass
        self._messageParameters = messageParameters
        self._contexts = contexts or []
        # Text Spark appends after the message: the failing plan or the SQL text with a pointer.
        self._context_text = context
        super().__init__(message)

    def getCondition(self):
        """The error condition, e.g. ``'DIVIDE_BY_ZERO'``."""
        return self._errorClass

    def getErrorClass(self):
        """The error condition (the name PySpark 3.4 gave it)."""
        return self._errorClass

    def getMessageParameters(self):
        """The parameters filled into the condition's message."""
        return self._messageParameters

    def getSqlState(self):
        """The SQLSTATE of the condition, or None."""
        return error_sqlstate(self._errorClass)

    def getQueryContext(self):
        return list(self._contexts)

    def getMessage(self):
        """``[CONDITION] message`` (and ``SQLSTATE: xxxxx`` for errors of the SQL engine)."""
        text = "[%s] %s" % (self.getCondition(), self._message)
        if self._engine_side and self.getSqlState() is not None:
            text += " SQLSTATE: %s" % self.getSqlState()
        return text

    def __str__(self):
        if self.getCondition() is None:
            return self._message
        text = self.getMessage()
        if self._engine_side and self._context_text:
            text += self._context_text
        return text


def _place(cls):
    """The module PySpark defines ``cls`` in (an exception of the SQL engine: the captured one)."""
    if cls.__module__ == __name__:
        cls.__module__ = __name__ + (".exceptions.captured" if cls._engine_side else ".exceptions.base")


_place(PySparkException)


class AnalysisException(PySparkException):
    """A query failed analysis (unresolved column, table, type mismatch ...).

    Printed as Spark's ``AnalysisException.getMessage``: after the message, ``; line L pos P``
    when the failing expression came from SQL text, then ``;`` and the plan as the analyzer left
    it when the error came from the plan check (the unresolved operator over its resolved child).
    ``getMessage()`` stays the bare message, as in PySpark.

    >>> e = AnalysisException(errorClass="UNRESOLVED_ROUTINE",
    ...                       messageParameters={"routineName": "`f`", "searchPath": "[]"})
    >>> e = e.at_position(1, 7).with_plan("'Project ['x]\\n")
    >>> print(str(e))
    [UNRESOLVED_ROUTINE] Cannot resolve routine `f` on search path []. SQLSTATE: 42883; line 1 pos 7;
    'Project ['x]
    <BLANKLINE>
    """

    _engine_side = True
    _line = _pos = _plan = None

    def at_position(self, line, pos):
        """Record where the failing expression starts in the SQL text (the first position
        recorded wins: it is the innermost expression's)."""
        if self._line is None:
            self._line, self._pos = line, pos
        return self

    def with_plan(self, plan_text):
        """Record the plan the analyzer failed on (the first recorded wins)."""
        if self._plan is None:
            self._plan = plan_text
        return self

    def __str__(self):
        text = super().__str__()
        if self.getCondition() is None or self._context_text:
            return text
        if self._line is not None:
            text += "; line %d pos %d" % (self._line, self._pos)
        if self._plan is not None:
            text += ";\n" + self._plan
        return text


class SessionNotSameException(PySparkException):
    """Two DataFrames from different sessions were combined."""


class TempTableAlreadyExistsException(AnalysisException):
    """A temporary view with that name already exists."""


class ParseException(AnalysisException):
    """SQL text (or a DDL type string) could not be parsed.

    Printed as Spark prints it: the message with its SQLSTATE, the position, then the SQL text
    with a pointer under the offending token.

    >>> from sparklet.errors import parse_error
    >>> e = parse_error("SELEC 1", 0, "'SELEC'")
    >>> print(str(e))
    <BLANKLINE>
    [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'. SQLSTATE: 42601 (line 1, pos 0)
    <BLANKLINE>
    == SQL ==
    SELEC 1
    ^^^
    <BLANKLINE>
    """

    def __str__(self):
        if self._context_text is None:
            return super().__str__()
        return "\n" + self.getMessage() + self._context_text


class IllegalArgumentException(PySparkException):
    """An argument was not valid for the operation."""

    _engine_side = True


class ArithmeticException(PySparkException):
    """Arithmetic failed under ANSI mode (DIVIDE_BY_ZERO, ARITHMETIC_OVERFLOW ...)."""

    _engine_side = True


class UnsupportedOperationException(PySparkException):
    _engine_side = True


class ArrayIndexOutOfBoundsException(PySparkException):
    _engine_side = True


class DateTimeException(PySparkException):
    _engine_side = True


class NumberFormatException(IllegalArgumentException):
    """A string could not be cast to a number (CAST_INVALID_INPUT)."""


class SparkNumberFormatException(NumberFormatException):
    """The name of NumberFormatException on Spark's side."""


class SparkRuntimeException(PySparkException):
    _engine_side = True


class SparkUpgradeException(PySparkException):
    _engine_side = True


class SparkNoSuchElementException(PySparkException):
    _engine_side = True


class QueryExecutionException(PySparkException):
    _engine_side = True


class StreamingQueryException(PySparkException):
    _engine_side = True


class UnknownException(PySparkException):
    _engine_side = True


class PySparkValueError(PySparkException, ValueError):
    """ValueError with an error condition."""


class PySparkTypeError(PySparkException, TypeError):
    """TypeError with an error condition."""


class PySparkIndexError(PySparkException, IndexError):
    """IndexError with an error condition."""


class PySparkAttributeError(PySparkException, AttributeError):
    """AttributeError with an error condition."""


class PySparkRuntimeError(PySparkException, RuntimeError):
    """RuntimeError with an error condition."""


class PySparkAssertionError(PySparkException, AssertionError):
    """AssertionError with an error condition."""

    def __init__(self, message=None, errorClass=None, messageParameters=None, data=None):
        super().__init__(message, errorClass, messageParameters)
        self.data = data


class PySparkNotImplementedError(PySparkException, NotImplementedError):
    """NotImplementedError with an error condition."""


class PySparkKeyError(PySparkException, KeyError):
    """KeyError with an error condition."""

    def __str__(self):
        return PySparkException.__str__(self)


class PySparkImportError(PySparkException, ImportError):
    """ImportError with an error condition."""


class QueryOrigin:
    """Where an expression came from, for the context Spark prints with its errors: a span of
    SQL text (``spark.sql``, ``expr``, ``selectExpr``, string filters), or the DataFrame API
    method that built it and the user's line that called it.

    >>> o = QueryOrigin(sql="SELECT age / 0 FROM t", start=7, stop=13)
    >>> o.line_pos()
    (1, 7)
    >>> print(o.runtime_context(), end="")
    <BLANKLINE>
    == SQL (line 1, position 8) ==
    SELECT age / 0 FROM t
           ^^^^^^^
    >>> print(QueryOrigin(method="__truediv__", call_site="app.py:3").runtime_context(), end="")
    <BLANKLINE>
    == DataFrame ==
    "__truediv__" was called from
    app.py:3
    """

    def __init__(self, sql=None, start=0, stop=0, method=None, call_site=None):
        self.sql, self.start, self.stop = sql, start, stop
        self.method, self.call_site = method, call_site

    def line_pos(self):
        """1-based line and 0-based position in that line of the span's start (SQL text only)."""
        if self.sql is None:
            return None
        before = self.sql[:self.start]
        return before.count("\n") + 1, self.start - (before.rfind("\n") + 1)

    def runtime_context(self):
        """The text Spark appends to an error raised while the expression ran."""
        if self.sql is None:
            return '\n== DataFrame ==\n"%s" was called from\n%s\n' % (self.method, self.call_site)
        line, pos = self.line_pos()
        out = ["", "== SQL (line %d, position %d) ==" % (line, pos + 1)]
        offset = 0
        for text in self.sql.split("\n"):
            end = offset + len(text)
            if offset <= self.stop and self.start <= end:
                a, b = max(self.start, offset) - offset, min(self.stop, end - 1) - offset
                out += [text, " " * a + "^" * max(b - a + 1, 1)]
            offset = end + 1
        return "\n".join(out) + "\n"


def parse_error(sql, position, error, hint="", line=1, condition="PARSE_SYNTAX_ERROR",
                parameters=None):
    """A ParseException for ``sql``, pointing at 0-based ``position`` of 1-based ``line``.

    ``error`` is the offending token as Spark quotes it (``"'SELEC'"``, ``'end of input'``).

    >>> print(str(parse_error("SELECT 1 +", 10, "end of input")).rstrip())
    <BLANKLINE>
    [PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 (line 1, pos 10)
    <BLANKLINE>
    == SQL ==
    SELECT 1 +
    ----------^^^
    """
    if parameters is None:
        parameters = {"error": error, "hint": hint}
    lines = sql.split("\n")
    shown = lines[:line] + ["-" * position + "^^^"] + lines[line:]
    context = " (line %d, pos %d)\n\n== SQL ==\n%s\n" % (line, position, "\n".join(shown))
    return ParseException(errorClass=condition, messageParameters=parameters, context=context)


def _levenshtein(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def quote_identifier(name):
    """A name as Spark's messages quote it: ``a.b`` -> ```a`.`b``` (parts given as a list)."""
    parts = name if isinstance(name, (list, tuple)) else [name]
    return ".".join("`%s`" % p.replace("`", "``") for p in parts)


def suggest_columns(name, candidates, limit=5):
    """Candidate column names ranked as Spark ranks them for UNRESOLVED_COLUMN
    (``StringUtils.orderSuggestedIdentifiersBySimilarity``): qualifiers all candidates share are
    dropped, then a sort by the edit distance between the *quoted* candidate and the name as
    written, ties in name order; at most ``limit``.

    Candidates are name parts lists (``["t", "a"]``) or plain names, in the plan's output order.

    >>> suggest_columns("nme", ["id", "name", "v"])
    ['`name`', '`v`', '`id`']
    >>> suggest_columns("ab", ["id", "name", "v"])
    ['`v`', '`id`', '`name`']
    >>> suggest_columns("x", [["l", "x"], ["r", "y"]])
    ['`l`.`x`', '`r`.`y`']
    >>> suggest_columns("aa", ["alpha", "beta", "gamma", "eta", "zeta", "abc", "ab"])
    ['`ab`', '`abc`', '`eta`', '`alpha`', '`beta`']
    """
    parts = [list(c) if isinstance(c, (list, tuple)) else [c] for c in candidates]
    written = list(name) if isinstance(name, (list, tuple)) else name.split(".")
    if len(written) == 1 and len({tuple(p[:-1]) for p in parts}) == 1:
        parts = [p[-1:] for p in parts]
    elif len(written) <= 2 and len({tuple(p[:-2]) for p in parts}) == 1:
        parts = [p[-2:] for p in parts]
    quoted = [quote_identifier(p) for p in parts]
    base = ".".join(written)
    ranked = sorted(sorted(quoted), key=lambda q: _levenshtein(q, base))
    return ranked[:limit]


def unresolved_column(name, candidates, context=None):
    """The AnalysisException Spark raises for a column reference it cannot resolve.

    >>> print(unresolved_column("nme", ["age", "name"]))
    [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `nme` cannot be resolved. Did you mean one of the following? [`name`, `age`]. SQLSTATE: 42703
    """
    object_name = quote_identifier(name)
    if candidates:
        return AnalysisException(
            errorClass="UNRESOLVED_COLUMN.WITH_SUGGESTION",
            messageParameters={"objectName": object_name,
                               "proposal": ", ".join(suggest_columns(name, candidates))},
            context=context)
    return AnalysisException(errorClass="UNRESOLVED_COLUMN.WITHOUT_SUGGESTION",
                             messageParameters={"objectName": object_name}, context=context)



def _fill_pyspark_modules():
    """Puts each exception class in the module PySpark defines it in (``_place`` names it):
    tracebacks print that path, and a class pickled in an executor is found there by reference
    (a class whose module is missing from sys.modules would be pickled by value, and the copy is
    not the class `except` clauses on the driver name)."""
    from .exceptions import base, captured
    for name, value in list(globals().items()):
        if isinstance(value, type) and issubclass(value, PySparkException):
            vars(base)[name] = value
            if value._engine_side:
                vars(captured)[name] = value


_fill_pyspark_modules()
