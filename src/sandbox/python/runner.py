"""mlgrade's Python runner: the sandboxed child that loads one Python submission and answers calls.

Started by the grader (see command.ts) as

    python3 -s -P -B [-S] runner.py [--lib DIR]... [--probe [--probe-modules a,b]]

It speaks the wire protocol of docs PROTOCOL.md (v2): requests arrive on fd 3, replies leave on
fd 4, each a 4-byte big-endian length and that many bytes of UTF-8 JSON. Messages:

    grader -> runner  {"type": "init", "entry": "/stage/losses.py", "names": {"mseGrad": "mse_grad"},
                       "limits": {...}, "stageDir": "/stage", "allowedModules": [...], "notebook": {...}}
                      {"type": "callBatch", "id": 7, "calls": [{"fn": "mseGrad", "args": [...], "echoArgs": false}]}
    runner -> grader  {"type": "loaded", "exports": {...}, "resolved": {...}, "defined": {...}, "cellErrors": [...]}
                      {"type": "loadFailed", "thrown": {...}, "syntax": false}
                      {"type": "exitCalled", "code": 0, "during": "load" | "call"}
                      {"type": "results", "id": 7, "replies": [...]}

The entry is a module (`.py`) or a converted notebook (`.json`, written by notebook.ts: the code
cells to run, each compiled under the file name "cell N" so errors read "cell 7, line 3").

Nothing here is a security boundary: student code shares this interpreter and can reach anything
in it (frames, gc). The boundary is the sandbox around the process (bubblewrap, rlimits). This
file only makes the protocol robust: print() cannot break frames (they travel on their own fds),
monkeypatching json/float/numpy cannot change how values are encoded (the references used here
are taken before student code loads), and a forked child never writes a reply.

Standard library and NumPy only; Python 3.8+ syntax.
"""

import os
import sys

# One BLAS/OpenMP thread, set before NumPy is imported (OpenBLAS starts one thread per core at
# import otherwise, which costs address space and counts against RLIMIT_NPROC).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_variable] = "1"
# bwrap sets PWD whatever the grader passed: the environment the submission sees is the scrubbed one.
os.environ.pop("PWD", None)

import builtins  # noqa: E402
import errno  # noqa: E402
import json  # noqa: E402
import json.encoder  # noqa: E402
import linecache  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import struct  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import types  # noqa: E402

try:
    import resource
except ImportError:  # not on Linux: limits come from outside only
    resource = None

# Built-ins used below, bound here: a submission that replaces builtins.float or builtins.isinstance
# changes its own view, not this module's globals.
from builtins import (  # noqa: E402
    BaseException, Exception, ModuleNotFoundError, OSError, RecursionError, SyntaxError, SystemExit, TypeError,
    ValueError, bool, bytearray, bytes, callable, compile, complex, dict, exec, float, frozenset, getattr, hasattr,
    int, isinstance, len, list, max, memoryview, min, open, print, range, repr, set, slice, sorted, str, tuple,
    type,
)

_RUNNER_FILE = os.path.abspath(__file__)
_PID = os.getpid()
_now = time.perf_counter
_pack = struct.Struct(">I").pack
_unpack = struct.Struct(">I").unpack
_os_read = os.read
_os_write = os.write
_os_exit = os._exit
_getpid = os.getpid
_isfinite = math.isfinite
_copysign = math.copysign
_float_float = float.__float__
_int_int = int.__int__
_str_str = str.__str__
_list_copy = list.copy
_dict_copy = dict.copy
_tuple_slice = tuple.__getitem__
_extract_tb = traceback.extract_tb
_format_list = traceback.format_list
_format_exception_only = traceback.format_exception_only
_linecache = linecache.cache
_errorcode = errno.errorcode
_ModuleType = types.ModuleType
_GeneratorType = types.GeneratorType
_CoroutineType = types.CoroutineType
_FunctionTypes = (types.FunctionType, types.BuiltinFunctionType, types.MethodType)


def _reject_constant(name):
    raise ValueError("non-JSON constant %s in a request" % name)


def _raise_type_error(value):
    raise TypeError("not JSON data: %s" % type(value).__name__)


# JSON with references taken now: the C encoder and scanner keep their own settings and never look
# at json's module attributes again. allow_nan=False is a tripwire (specials are tagged first).
_json_encoder = json.encoder.c_make_encoder(
    None, _raise_type_error, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, False
) if json.encoder.c_make_encoder is not None else None
_json_fallback = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":"), check_circular=False)
_json_fallback_iterencode = _json_fallback.iterencode
_json_decoder = json.JSONDecoder(parse_int=float, parse_constant=_reject_constant)
_json_raw_decode = _json_decoder.raw_decode


def _dumps(value):
    if _json_encoder is not None:
        return "".join(_json_encoder(value, 0))
    return "".join(_json_fallback_iterencode(value))


def _loads(text):
    value, end = _json_raw_decode(text)
    if text[end:].strip():
        raise ValueError("extra data after the JSON value")
    return value


# ---------------------------------------------------------------------------------------------
# Caps (PROTOCOL.md): error name 200, message 2,000, stack 4,000, description 500 characters.
# ---------------------------------------------------------------------------------------------
NAME_CAP = 200
MESSAGE_CAP = 2000
STACK_CAP = 4000
DESCRIPTION_CAP = 500
DEFAULT_REPLY_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 100
TWO_53 = 2 ** 53


def _cap(text, limit):
    if len(text) <= limit:
        return text
    suffix = "\u2026 (%d more characters)" % (len(text) - limit)
    keep = max(0, limit - len(suffix))
    return text[:keep] + suffix


def _cap_middle(text, limit):
    """Keeps the start and the end (a traceback's last lines name the error)."""
    if len(text) <= limit:
        return text
    marker = "\n\u2026 (%d more characters) \u2026\n" % (len(text) - limit)
    head = (limit - len(marker)) // 4
    tail = limit - len(marker) - head
    return text[:head] + marker + text[len(text) - tail:]


# ---------------------------------------------------------------------------------------------
# Protocol fds: keep 3 and 4 for the runner (duplicated to non-inheritable descriptors), close
# every other inherited descriptor, stdin is /dev/null.
# ---------------------------------------------------------------------------------------------
_IN = -1
_OUT = -1


def _take_protocol_fds():
    global _IN, _OUT
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        open_fds = []
    for fd in open_fds:
        if fd > 4:
            try:
                os.close(fd)
            except OSError:
                pass
    try:
        _IN = os.dup(3)
        _OUT = os.dup(4)
    except OSError:
        sys.stderr.write("mlgrade runner: the protocol descriptors 3 and 4 are not open\n")
        _os_exit(2)
    os.close(3)
    os.close(4)
    null = os.open(os.devnull, os.O_RDONLY)
    if null != 0:
        os.dup2(null, 0)
        os.close(null)


def _read_exact(count):
    chunks = []
    while count > 0:
        chunk = _os_read(_IN, min(count, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _read_message():
    header = _read_exact(4)
    if header is None:
        return None
    body = _read_exact(_unpack(header)[0])
    if body is None:
        return None
    return _loads(body.decode("utf-8"))


def _flush_output():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def _send_text(text):
    """Sends one message (JSON text); a forked copy of this process never writes."""
    if _getpid() != _PID:
        _os_exit(0)
    _flush_output()
    data = text.encode("utf-8")
    data = _pack(len(data)) + data
    view = memoryview(data)
    while len(view):
        written = _os_write(_OUT, view)
        view = view[written:]


def _send(message):
    _send_text(_dumps(message))


# ---------------------------------------------------------------------------------------------
# NumPy, imported before student code so that its references are the real ones.
# ---------------------------------------------------------------------------------------------
_np = None
_np_error = None


def _import_numpy():
    global _np, _np_error, _ndarray, _generic, _floating, _integer, _np_bool, _complexfloating
    global _masked, _asarray, _np_array, _np_zeros, _np_float64, _np_int8, _np_isfinite, _np_signbit
    global _ndarray_tolist, _ndarray_astype, _ndarray_any, _ndarray_all, _ndarray_max, _ndarray_min
    try:
        import numpy
    except BaseException as error:  # numpy missing: pure-Python submissions still work
        _np_error = "%s: %s" % (type(error).__name__, error)
        return
    _np = numpy
    _ndarray = numpy.ndarray
    _generic = numpy.generic
    _floating = numpy.floating
    _integer = numpy.integer
    _np_bool = numpy.bool_
    _complexfloating = numpy.complexfloating
    _asarray = numpy.asarray
    _np_array = numpy.array
    _np_zeros = numpy.zeros
    _np_float64 = numpy.float64
    _np_int8 = numpy.int8
    _np_isfinite = numpy.isfinite
    _np_signbit = numpy.signbit
    _ndarray_tolist = numpy.ndarray.tolist
    _ndarray_astype = numpy.ndarray.astype
    _ndarray_any = numpy.ndarray.any
    _ndarray_all = numpy.ndarray.all
    _ndarray_max = numpy.ndarray.max
    _ndarray_min = numpy.ndarray.min
    try:
        _masked = numpy.ma.MaskedArray
    except BaseException:
        _masked = ()


# ---------------------------------------------------------------------------------------------
# Values, runner -> grader: JSON numbers, {"$f": ...} for NaN/±Infinity/-0, nested lists for
# arrays and tuples, objects for str-keyed dicts ("$key" written "$$key"), {"$nd": shape} for an
# empty array whose shape nested lists cannot carry, {"$desc": ...} for anything else.
# ---------------------------------------------------------------------------------------------
class _Unsendable(Exception):
    def __init__(self, what, hint=""):
        Exception.__init__(self, what)
        self.what = what
        self.hint = hint


class _TooLarge(Exception):
    def __init__(self, size):
        Exception.__init__(self, size)
        self.size = size


def _encode_float(x):
    if _isfinite(x):
        if x == 0.0 and _copysign(1.0, x) < 0:
            return {"$f": "-0"}
        return x
    if x != x:
        return {"$f": "NaN"}
    return {"$f": "Infinity"} if x > 0 else {"$f": "-Infinity"}


def _encode_int(x):
    if -TWO_53 <= x <= TWO_53:
        return x
    raise _Unsendable("an integer beyond 2^53 (%d bits), which JavaScript cannot hold exactly" % x.bit_length(),
                      "return a float")


def _path_text(path):
    return "".join(path)


def _where_in(path):
    return " at %s" % _path_text(path) if path else ""


class _Encoder(object):
    """One value's encoding, with a budget of bytes (an estimate that never exceeds the real size)."""

    def __init__(self, budget):
        self.budget = budget
        self.spent = 0

    def spend(self, count):
        self.spent += count
        if self.spent > self.budget:
            raise _TooLarge(self.spent)

    def value(self, v, depth, path):
        t = type(v)
        if t is float:
            self.spend(2)
            return _encode_float(v)
        if t is bool or v is None:
            self.spend(4)
            return v
        if t is int:
            self.spend(2)
            return _encode_int(v)
        if t is str:
            self.spend(len(v) + 2)
            return v
        if depth > MAX_DEPTH:
            raise _Unsendable("a structure nested more than %d levels deep" % MAX_DEPTH,
                              "does it contain itself?")
        if t is list or t is tuple:
            return self.sequence(v, depth, path)
        if t is dict:
            return self.mapping(v, depth, path)
        if _np is not None:
            if isinstance(v, _ndarray):
                return self.array(v, depth, path)
            if isinstance(v, _generic):
                return self.numpy_scalar(v, path)
        # Subclasses of the plain types: read their value with the base type's own methods, so an
        # overridden __repr__/__float__/__iter__ cannot change what is sent.
        if isinstance(v, float):
            return self.value(_float_float(v), depth, path)
        if isinstance(v, int):
            return self.value(_int_int(v), depth, path)
        if isinstance(v, str):
            return self.value(_str_str(v), depth, path)
        if isinstance(v, list):
            return self.sequence(_list_copy(v), depth, path)
        if isinstance(v, tuple):
            return self.sequence(_tuple_slice(v, slice(None)), depth, path)
        if isinstance(v, dict):
            return self.mapping(_dict_copy(v), depth, path)
        what, hint = _describe_kind(v)
        raise _Unsendable(what, hint)

    def sequence(self, items, depth, path):
        self.spend(2)
        out = []
        append = out.append
        index = 0
        for item in items:
            path.append("[%d]" % index)
            append(self.value(item, depth + 1, path))
            path.pop()
            index += 1
        return out

    def mapping(self, d, depth, path):
        self.spend(2)
        out = {}
        for key in list(d):
            if type(key) is not str:
                if isinstance(key, str):
                    key_text = _str_str(key)
                else:
                    raise _Unsendable("a dict with a key that is not a string (%s)" % _short_repr(key),
                                      "use string keys")
            else:
                key_text = key
            item = d[key]
            path.append("[%s]" % _short_repr(key_text))
            self.spend(len(key_text) + 3)
            out["$" + key_text if key_text.startswith("$") else key_text] = self.value(item, depth + 1, path)
            path.pop()
        return out

    def numpy_scalar(self, v, path):
        if isinstance(v, _np_bool):
            self.spend(4)
            return bool(v)
        if isinstance(v, _floating):
            if v.dtype.itemsize > 8:
                raise _Unsendable("a NumPy %s value" % v.dtype.name, "convert it with float(\u2026)")
            self.spend(2)
            return _encode_float(float(v))
        if isinstance(v, _integer):
            self.spend(2)
            return _encode_int(int(v))
        if isinstance(v, str):
            return self.value(_str_str(v), 0, path)
        what, hint = _describe_kind(v)
        raise _Unsendable(what, hint)

    def array(self, a, depth, path):
        if _masked and isinstance(a, _masked):
            raise _Unsendable("a NumPy masked array", "return a plain array, e.g. .filled(np.nan)")
        a = _asarray(a)
        dtype = a.dtype
        kind = dtype.kind
        if a.ndim == 0:
            return self.numpy_scalar(a[()], path)
        if kind == "f" and dtype.itemsize > 8:
            raise _Unsendable("a NumPy array of dtype %s" % dtype.name, "convert it with .astype(np.float64)")
        if kind not in "fiub":
            what, hint = _describe_array_dtype(dtype)
            raise _Unsendable(what, hint)
        shape = a.shape
        if a.size == 0:
            self.spend(2)
            for axis in range(len(shape) - 1):
                if shape[axis] == 0:
                    return {"$nd": [int(n) for n in shape]}
            return _ndarray_tolist(a)
        self.spend(2 * a.size)
        if kind == "f":
            b = _ndarray_astype(a, _np_float64)
            clean = bool(_ndarray_all(_np_isfinite(b))) and not bool(_ndarray_any(_np_signbit(b) & (b == 0)))
            out = _ndarray_tolist(b)
            return out if clean else _tag_specials(out)
        if kind == "b":
            return _ndarray_tolist(_ndarray_astype(a, _np_int8))
        if int(_ndarray_max(a)) > TWO_53 or int(_ndarray_min(a)) < -TWO_53:
            raise _Unsendable("a NumPy array of dtype %s holding integers beyond 2^53" % dtype.name,
                              "convert it with .astype(np.float64)")
        return _ndarray_tolist(a)


def _tag_specials(nested):
    if type(nested) is list:
        return [_tag_specials(x) for x in nested]
    return _encode_float(nested)


def _short_repr(value):
    try:
        text = repr(value)
    except BaseException:
        text = "<%s>" % type(value).__name__
    return _cap(text, 40)


def _type_name(value):
    try:
        t = type(value)
        module = getattr(t, "__module__", "") or ""
        name = getattr(t, "__qualname__", None) or t.__name__
        if module in ("builtins", "__main__", ""):
            return name
        owner = sys.modules.get(module)
        if owner is not None and _is_student_file(getattr(owner, "__file__", None)):
            return name  # the student's own class: its name is enough
        return "%s.%s" % (module, name)
    except BaseException:
        return "unknown type"


def _describe_array_dtype(dtype):
    kind = dtype.kind
    if kind == "O":
        return "a NumPy array of dtype object", "ragged rows? build it from rows of equal length, as floats"
    if kind == "c":
        return "a NumPy array of complex numbers (dtype %s)" % dtype.name, "return the real part, e.g. .real"
    if kind in "US":
        return "a NumPy array of strings (dtype %s)" % dtype.str, "return numbers"
    if kind in "mM":
        return "a NumPy array of dates or times (dtype %s)" % dtype.name, "return numbers"
    if kind == "V":
        return "a NumPy structured array (dtype %s)" % _cap(str(dtype), 80), "return a plain array of floats"
    return "a NumPy array of dtype %s" % dtype.name, "return floats"


def _describe_kind(v):
    """Words for a value that cannot be sent: (what it is, what to do)."""
    if _np is not None and isinstance(v, _generic):
        if isinstance(v, _complexfloating):
            return "a NumPy complex number (%s)" % _short_repr(v), "return the real part"
        return "a NumPy %s value" % _type_name(v).replace("numpy.", ""), "return a float"
    if isinstance(v, _GeneratorType):
        return "a generator", "wrap it in list(\u2026), or use return instead of yield"
    if isinstance(v, _CoroutineType):
        return "a coroutine", "the function must be a plain def, not async def"
    if isinstance(v, range):
        return "a range", "wrap it in list(\u2026)"
    if isinstance(v, complex):
        return "a complex number (%s)" % _short_repr(v), "return the real part"
    if isinstance(v, (bytes, bytearray, memoryview)):
        return "bytes", "return numbers"
    if isinstance(v, (set, frozenset)):
        return "a set", "sets have no order: return a list"
    if isinstance(v, _ModuleType):
        return "a module", ""
    if isinstance(v, type):
        return "a class (%s)" % getattr(v, "__name__", "?"), "did you return the class instead of an instance?"
    if isinstance(v, _FunctionTypes) or callable(v) and hasattr(v, "__code__"):
        return "a function", "did you return the function instead of calling it?"
    name = _type_name(v)
    if name in ("map", "filter", "zip", "enumerate", "reversed") or (hasattr(v, "__next__") and hasattr(v, "__iter__")):
        return "a %s iterator" % name, "wrap it in list(\u2026)"
    if name in ("decimal.Decimal", "fractions.Fraction"):
        return "a %s" % name.split(".")[1], "convert it with float(\u2026)"
    if callable(v):
        return "a callable object of type %s" % name, ""
    return "an object of type %s" % name, ""


def _container_words(value):
    t = type(value)
    if t is list:
        return "a list"
    if t is tuple:
        return "a tuple"
    if t is dict:
        return "a dict"
    return "a %s" % _type_name(value)


_FAST_MIN = 4096
_FAST_CHUNK = 65536


def _float_rows(v):
    """True for a list/tuple of floats, or of lists/tuples of floats (exactly those types)."""
    first = v[0]
    if type(first) is float:
        for x in v:
            if type(x) is not float:
                return False
        return True
    if type(first) is not list and type(first) is not tuple:
        return False
    for row in v:
        if type(row) is not list and type(row) is not tuple:
            return False
        for x in row:
            if type(x) is not float:
                return False
    return True


def _fast_json(value, budget):
    """JSON text of a long list of floats or of float rows (a float ndarray's too), written by the C
    encoder a chunk at a time and refused as soon as it is over the budget: a 3-million-element
    result is refused in a fraction of a second instead of being encoded whole in Python. None when
    the value is not such a list, or holds NaN or an infinity (those need the tagged path)."""
    if _np is not None and type(value) is _ndarray and value.dtype.kind == "f" and value.dtype.itemsize <= 8 \
            and value.ndim in (1, 2) and value.size >= _FAST_MIN and value.shape[-1] > 0:
        value = _ndarray_tolist(_ndarray_astype(value, _np_float64))
    t = type(value)
    if (t is not list and t is not tuple) or not value:
        return None
    first = value[0]
    width = len(first) if type(first) is list or type(first) is tuple else 1
    if len(value) * width < _FAST_MIN or not _float_rows(value):
        return None
    parts = []
    size = 2
    for start in range(0, len(value), _FAST_CHUNK):
        try:
            text = _dumps(list(value[start:start + _FAST_CHUNK]))
        except ValueError:  # NaN or an infinity (allow_nan=False): the tagged path says them
            return None
        size += len(text) - 1
        if size > budget:
            raise _TooLarge(size)
        parts.append(text[1:-1])
    return "[" + ",".join(parts) + "]"


def encode_value(value, budget):
    """{"value": <wire>} or {"raw": <JSON text>} or {"unsendable": <description>} or {"tooLarge": <bytes at least>}."""
    path = []
    encoder = _Encoder(budget)
    try:
        raw = _fast_json(value, budget)
        if raw is not None:
            return {"raw": raw}
        wire = encoder.value(value, 0, path)
    except _Unsendable as error:
        what = error.what
        if path:
            what = "%s with %s at %s" % (_container_words(value), error.what, _path_text(path))
        text = what + (" (%s)" % error.hint if error.hint else "")
        return {"unsendable": _cap(text, DESCRIPTION_CAP)}
    except _TooLarge as error:
        return {"tooLarge": error.size}
    except RecursionError:
        return {"unsendable": "a structure nested too deeply to send"}
    except BaseException as error:  # a hostile object (a __class__ property, a raising __getattr__…)
        text = "a value that could not be read%s (%s: %s)" % (
            _where_in(path), type(error).__name__, _short_repr_text(error))
        return {"unsendable": _cap(text, DESCRIPTION_CAP)}
    return {"value": wire}


def _short_repr_text(error):
    try:
        return _cap(str(error), 200)
    except BaseException:
        return "?"


# ---------------------------------------------------------------------------------------------
# Values, grader -> runner. Numbers arrive as float (parse_int=float); tags are decoded; with
# arrayArgs "ndarray" (the default when NumPy is there) every rectangular list of numbers becomes
# a float64 ndarray, as a NumPy course's functions expect.
# ---------------------------------------------------------------------------------------------
_SPECIALS = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf"), "-0": -0.0}


def decode_value(v, arrays):
    t = type(v)
    if t is list:
        items = [decode_value(x, arrays) for x in v]
        if arrays and _np is not None:
            shape = _numeric_shape(items)
            if shape is not None:
                return _np_array(items, dtype=_np_float64)
        return items
    if t is dict:
        if len(v) == 1:
            if "$f" in v:
                return _SPECIALS[v["$f"]]
            if "$u" in v:
                return None
            if "$nd" in v:
                shape = tuple(int(n) for n in v["$nd"])
                if _np is not None:
                    return _np_zeros(shape, dtype=_np_float64)
                return []
        return {(k[1:] if k.startswith("$$") else k): decode_value(x, arrays) for k, x in v.items()}
    return v


def _numeric_shape(items):
    """The shape of a rectangular nested list of floats (no bools), else None."""
    if not items:
        return (0,)
    first = items[0]
    if type(first) is float:
        for x in items:
            if type(x) is not float:
                return None
        return (len(items),)
    if _np is not None and type(first) is _ndarray:
        inner = first.shape
        for x in items:
            if type(x) is not _ndarray or x.shape != inner or x.dtype != _np_float64:
                return None
        return (len(items),) + inner
    return None


# ---------------------------------------------------------------------------------------------
# Errors in the student's terms: file names relative to the stage ("losses.py", "sub/util.py"),
# notebook cells as "cell N", library paths relative to their sys.path entry; no runner frames.
# ---------------------------------------------------------------------------------------------
_stage_prefix = None
_student_files = set()
_CELL = re.compile(r"^cell \d+$")


def _display_path(filename):
    if not filename:
        return filename
    if _CELL.match(filename):
        return filename
    if _stage_prefix and filename.startswith(_stage_prefix):
        return filename[len(_stage_prefix):]
    best = ""
    for entry in sys.path:
        if isinstance(entry, str) and entry and filename.startswith(entry.rstrip("/") + "/") and len(entry) > len(best):
            best = entry.rstrip("/") + "/"
    return filename[len(best):] if best else filename


def _is_student_file(filename):
    if not filename:
        return False
    return bool(_CELL.match(filename)) or bool(_stage_prefix and filename.startswith(_stage_prefix))


def _where(filename, lineno, function=None):
    text = "%s, line %s" % (_display_path(filename), lineno)
    if function and function != "<module>":
        text += ", in %s" % function
    return text


def _message_of(error):
    try:
        return str(error)
    except BaseException:
        return "(the error's message could not be read)"


def thrown_error(error, allowed_modules=()):
    """A ThrownError (PROTOCOL.md) for a Python exception, located in the student's terms."""
    name = type(error).__name__
    result = {"name": _cap(str(name), NAME_CAP)}
    where = None
    if isinstance(error, SyntaxError) and getattr(error, "filename", None) is not None:
        filename = error.filename
        message = error.msg if isinstance(error.msg, str) else _message_of(error)
        if _is_student_file(filename):
            where = _where(filename, error.lineno)
        else:
            message = _message_of(error)
        try:
            error.filename = _display_path(filename)
            stack = "".join(_format_exception_only(type(error), error))
            error.filename = filename
        except BaseException:
            stack = None
    else:
        message = _message_of(error)
        if isinstance(error, ModuleNotFoundError) and getattr(error, "name", None):
            top = error.name.split(".")[0]
            if top not in getattr(sys, "stdlib_module_names", ()) and top not in allowed_modules:
                allowed = ", ".join(["the Python standard library"] + sorted(allowed_modules))
                message += " (submissions can import %s)" % allowed
        stack = None
        try:
            frames = [f for f in _extract_tb(error.__traceback__)
                      if f.filename != _RUNNER_FILE and not f.filename.startswith("<frozen ")]
            for frame in frames:
                frame.line  # read the source line while the real path is still there
            for frame in frames:
                if _is_student_file(frame.filename):
                    where = _where(frame.filename, frame.lineno, frame.name)
            for frame in frames:
                frame.filename = _display_path(frame.filename)
            stack = "Traceback (most recent call last):\n" + "".join(_format_list(frames))
            stack += "".join(_format_exception_only(type(error), error))
        except BaseException:
            stack = None
    result["message"] = _cap(message, MESSAGE_CAP)
    if stack:
        result["stack"] = _cap_middle(stack, STACK_CAP)
    if isinstance(error, OSError) and isinstance(getattr(error, "errno", None), int):
        code = _errorcode.get(error.errno)
        if code:
            result["code"] = code
    if where:
        result["where"] = _cap(where, 300)
    return result


def _is_student_syntax_error(error):
    return isinstance(error, SyntaxError) and _is_student_file(getattr(error, "filename", None))


def _exit_code(error):
    code = error.code
    if code is None:
        return 0
    if isinstance(code, int) and not isinstance(code, bool):
        return code & 0xFF
    try:
        sys.stderr.write("%s\n" % (code,))
    except BaseException:
        pass
    return 1


def _exit_called(error, during):
    code = _exit_code(error)
    _send({"type": "exitCalled", "code": code, "during": during})
    _flush_output()
    _os_exit(code)


_phase = "load"


def _announced_os_exit(code):
    """os._exit for the submission: says so on the protocol first (as sys.exit does)."""
    try:
        status = _int_int(code) & 0xFF
    except BaseException:
        status = 1
    if _getpid() == _PID:
        _send({"type": "exitCalled", "code": status, "during": _phase})
    _os_exit(status)


# ---------------------------------------------------------------------------------------------
# Loading: a module file, or a converted notebook's cells.
# ---------------------------------------------------------------------------------------------
class _Quitter(object):
    """exit()/quit() as the site module defines them (absent under python -S)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Use %s() to exit" % self.name

    def __call__(self, code=None):
        raise SystemExit(code)


def _display(*objects, **kwargs):
    """IPython's display(), reduced to printing each object's repr."""
    for obj in objects:
        print(repr(obj))


class _CellFailed(Exception):
    """A notebook cell failed and the notebook stops at the first failing cell."""

    def __init__(self, error):
        Exception.__init__(self, "cell failed")
        self.error = error


class _LoadStopped(Exception):
    def __init__(self, message):
        Exception.__init__(self, message)
        self.message = message


class _Submission(object):
    def __init__(self):
        self.namespace = {}
        self.module_name = None
        self.cell_errors = []
        self.cell_sources = {}


def _module_name_for(entry):
    stem = os.path.splitext(os.path.basename(entry))[0]
    if stem.isidentifier() and stem not in sys.modules and stem != "__main__":
        return stem
    return "submission"


def _compile(source, filename):
    """compile(), with a NUL byte reported as the syntax error it is (Python 3.12+ does so itself)."""
    try:
        return compile(source, filename, "exec", dont_inherit=True)
    except ValueError as error:
        if isinstance(source, bytes):
            text = source.decode("utf-8", "replace")
        else:
            text = source
        if "\0" not in text:
            raise
        line = text[:text.index("\0")].count("\n") + 1
        raise SyntaxError("source code cannot contain null bytes", (filename, line, 1, None))


def load_module(entry):
    submission = _Submission()
    with open(entry, "rb") as handle:
        source = handle.read()
    name = _module_name_for(entry)
    module = _ModuleType(name)
    module.__file__ = entry
    module.__builtins__ = builtins
    submission.module_name = name
    submission.namespace = module.__dict__
    sys.modules[name] = module
    sys.argv[:] = [_display_path(entry)]
    code = _compile(source, entry)
    exec(code, module.__dict__)
    return submission


def load_notebook(entry, on_cell_error, allowed_modules):
    with open(entry, "rb") as handle:
        document = _loads(handle.read().decode("utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise _LoadStopped("the converted notebook %s holds no cell list" % _display_path(entry))
    submission = _Submission()
    module = _ModuleType("__main__")
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    submission.module_name = "__main__"
    submission.namespace = module.__dict__
    if not hasattr(builtins, "display"):
        builtins.display = _display
    sys.argv[:] = [str(document.get("notebook") or "notebook.ipynb")]
    for cell in document["cells"]:
        number = int(cell["cell"])
        source = str(cell["source"])
        filename = "cell %d" % number
        submission.cell_sources[number] = source
        _linecache[filename] = (len(source), None, source.splitlines(True) or [""], filename)
        try:
            code = _compile(source, filename)
            exec(code, module.__dict__)
        except BaseException as error:  # SystemExit too: Jupyter shows it and the kernel goes on
            if on_cell_error == "stop":
                raise _CellFailed(error)
            submission.cell_errors.append({"cell": number, "thrown": thrown_error(error, allowed_modules),
                                           "syntax": _is_student_syntax_error(error)})
    return submission


_DEFINES = re.compile(r"^(?:(?:async\s+)?def|class)\s+([A-Za-z_]\w*)|^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)", re.M)


def _names_left_undefined(submission):
    """For each failed cell: the names its text defines at top level that are not defined now."""
    for record in submission.cell_errors:
        source = submission.cell_sources.get(record["cell"], "")
        names = []
        for match in _DEFINES.finditer(source):
            name = match.group(1) or match.group(2)
            if name not in submission.namespace and name not in names:
                names.append(name)
        record["undefined"] = names[:50]


# ---------------------------------------------------------------------------------------------
# Names: export name -> Python name (the same rules as names.ts resolvePythonNames).
# ---------------------------------------------------------------------------------------------
def _kind(value):
    try:
        return _kind_of(value)
    except BaseException:
        return "object"


def _kind_of(value):
    if callable(value):
        return "function"
    if isinstance(value, bool) or (_np is not None and isinstance(value, _np_bool)):
        return "boolean"
    if isinstance(value, (int, float)) or (_np is not None and isinstance(value, (_floating, _integer))):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "undefined"
    return "object"


def _fold(name):
    return name.replace("_", "").lower()


def defined_names(submission):
    """Public top-level names the submission defines itself (not imports), with their kinds."""
    result = {}
    own_modules = {submission.module_name}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and _is_student_file(path):
            own_modules.add(name)
    for name in sorted(submission.namespace):
        if not isinstance(name, str) or name.startswith("_") or len(result) >= 300:
            continue
        value = submission.namespace[name]
        try:
            if isinstance(value, _ModuleType):
                continue
            if callable(value):
                if getattr(value, "__module__", None) not in own_modules:
                    continue
            elif not isinstance(value, (int, float, str, list, tuple, dict)) and not (
                    _np is not None and isinstance(value, (_ndarray, _generic))):
                continue
        except BaseException:
            continue
        result[name] = _kind(value)
    return result


def resolve_names(requested, namespace, defined):
    """export name -> Python name: exact name, else the export name itself, else one folded match."""
    resolved = {}
    for export, wanted in requested.items():
        if wanted in namespace:
            resolved[export] = wanted
        elif export in namespace:
            resolved[export] = export
    taken = set(resolved.values())
    candidates = {}
    for export, wanted in requested.items():
        if export in resolved:
            continue
        keys = {_fold(export), _fold(wanted)}
        candidates[export] = [name for name in sorted(defined) if _fold(name) in keys and name not in taken]
    wanted_by = {}
    for export, names in candidates.items():
        for name in names:
            wanted_by[name] = wanted_by.get(name, 0) + 1
    for export, names in candidates.items():
        if len(names) == 1 and wanted_by[names[0]] == 1:
            resolved[export] = names[0]
    return resolved


# ---------------------------------------------------------------------------------------------
# The request loop.
# ---------------------------------------------------------------------------------------------
class _State(object):
    def __init__(self):
        self.submission = None
        self.load_failed = False
        self.bound = {}
        self.reply_bytes = DEFAULT_REPLY_BYTES
        self.array_args = True
        self.allowed_modules = ()


def _apply_limits(limits):
    if resource is None:
        return
    table = (
        ("addressSpaceBytes", resource.RLIMIT_AS),
        ("fileBytes", resource.RLIMIT_FSIZE),
        ("openFiles", resource.RLIMIT_NOFILE),
        ("cpuSeconds", resource.RLIMIT_CPU),
    )
    for key, which in table:
        value = limits.get(key)
        if value is None:
            continue
        value = int(value)
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass


def _handle_init(state, message):
    global _stage_prefix
    entry = str(message["entry"])
    stage = str(message.get("stageDir") or os.path.dirname(entry))
    _stage_prefix = stage.rstrip("/") + "/"
    names = message.get("names") or {}
    limits = message.get("limits") or {}
    state.reply_bytes = int(limits.get("replyBytes") or DEFAULT_REPLY_BYTES)
    state.array_args = message.get("arrayArgs", "ndarray") != "list"
    state.allowed_modules = tuple(str(m) for m in (message.get("allowedModules") or ()))
    notebook = message.get("notebook") or {}
    on_cell_error = "stop" if notebook.get("onCellError") == "stop" else "continue"

    # The stage first on sys.path (a submission may import its own helper modules), never the
    # runner's folder.
    runner_dir = os.path.dirname(_RUNNER_FILE)
    sys.path[:] = [p for p in sys.path if p not in ("", runner_dir)]
    sys.path.insert(0, stage)
    if not hasattr(builtins, "exit"):
        builtins.exit = _Quitter("exit")
        builtins.quit = _Quitter("quit")
    _apply_limits(limits)
    os._exit = _announced_os_exit
    # `import __main__` finds an empty module, not this runner's globals (a notebook's cells then
    # run in a fresh __main__ of their own, as in Jupyter).
    sys.modules["__main__"] = _ModuleType("__main__")

    try:
        if entry.endswith(".json"):
            state.submission = load_notebook(entry, on_cell_error, state.allowed_modules)
        else:
            state.submission = load_module(entry)
    except SystemExit as error:
        _exit_called(error, "load")
    except _LoadStopped as error:
        state.load_failed = True
        _send({"type": "loadFailed", "thrown": {"name": "NotebookError", "message": _cap(error.message, MESSAGE_CAP)},
               "syntax": False})
        return
    except BaseException as error:
        state.load_failed = True
        if isinstance(error, _CellFailed):
            error = error.error
        thrown = thrown_error(error, state.allowed_modules)
        reply = {"type": "loadFailed", "thrown": thrown, "syntax": _is_student_syntax_error(error)}
        first = thrown.get("where", "").split(",")[0]
        if _CELL.match(first):
            reply["cell"] = int(first[5:])
        _send(reply)
        return

    submission = state.submission
    namespace = submission.namespace
    defined = defined_names(submission)
    resolved = resolve_names({str(k): str(v) for k, v in names.items()}, namespace, defined)
    state.bound = {export: namespace[name] for export, name in resolved.items()}
    reply = {
        "type": "loaded",
        "exports": {export: _kind(value) for export, value in state.bound.items()},
        "resolved": resolved,
        "defined": defined,
    }
    if submission.cell_errors:
        _names_left_undefined(submission)
        reply["cellErrors"] = submission.cell_errors
    _send(reply)


def _run_call(state, call):
    fn = str(call.get("fn"))
    target = state.bound.get(fn)
    if target is None or not callable(target):
        if state.load_failed:
            message = "the submission did not load"
        elif target is None:
            message = "%s is not defined" % fn
        else:
            message = "%s is not a function (it is %s)" % (fn, _kind(target))
        return {"ok": False, "thrown": {"name": "MissingExport", "message": _cap(message, MESSAGE_CAP)}, "ms": 0}
    try:
        args = [decode_value(arg, state.array_args) for arg in call.get("args") or []]
    except BaseException as error:  # a request the runner cannot read: the grader's bug, said plainly
        message = "the runner could not decode the arguments (%s: %s)" % (type(error).__name__, _short_repr_text(error))
        return {"ok": False, "thrown": {"name": "ArgumentError", "message": _cap(message, MESSAGE_CAP)}, "ms": 0}
    start = _now()
    try:
        value = target(*args)
    except SystemExit as error:
        _exit_called(error, "call")
    except BaseException as error:
        ms = (_now() - start) * 1000.0
        return {"ok": False, "thrown": thrown_error(error, state.allowed_modules), "ms": ms}
    ms = (_now() - start) * 1000.0
    budget = state.reply_bytes
    encoded = encode_value(value, budget)
    if "unsendable" in encoded:
        return {"ok": False, "unsendable": {"kind": "unsendable", "description": encoded["unsendable"]}, "ms": ms}
    if "tooLarge" in encoded:
        return {"ok": False, "tooLarge": {"bytes": encoded["tooLarge"]}, "ms": ms}
    reply = {"ok": True, "value": encoded.get("value"), "ms": ms}
    if call.get("echoArgs"):
        after = encode_value(args, budget)
        if "value" in after:
            reply["argsAfter"] = after["value"]
        elif "raw" in after:
            reply["argsAfter"] = _loads(after["raw"])
        elif "unsendable" in after:
            reply["argsAfter"] = {"$desc": "the arguments were changed into values that cannot be sent: "
                                           + after["unsendable"]}
        else:
            reply["argsAfter"] = {"$desc": "the arguments grew too large to send back"}
    if "raw" in encoded:
        # The value's text is written already: the reply is built around it.
        rest = _dumps(reply)
        reply = {"text": '{"ok":true,"value":' + encoded["raw"] + "," + rest[rest.index('"ms"'):], "ms": ms}
    return reply


def _handle_batch(state, message):
    global _phase
    _phase = "call"
    cap = state.reply_bytes
    texts = []
    for call in message.get("calls") or []:
        reply = _run_call(state, call)
        try:
            text = reply["text"] if "text" in reply else _dumps(reply)
        except (ValueError, TypeError) as error:  # cannot happen for encoded values; say so if it does
            text = _dumps({"ok": False, "unsendable": {"kind": "unsendable",
                                                       "description": "a value the runner failed to encode (%s)" % error},
                           "ms": reply.get("ms", 0)})
        if len(text) > cap:
            text = _dumps({"ok": False, "tooLarge": {"bytes": len(text)}, "ms": reply.get("ms", 0)})
        texts.append(text)
    request_id = message.get("id")
    if type(request_id) is float and request_id.is_integer():
        request_id = int(request_id)
    head = '{"type":"results","id":%s,"replies":[' % _dumps(request_id)
    total = len(head) + 2 + sum(len(t) + 1 for t in texts)
    # Together too large: the largest replies become tooLarge until the message fits.
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    for index in order:
        if total <= cap:
            break
        size = len(texts[index])
        small = '{"ok":false,"tooLarge":{"bytes":%d},"ms":0}' % size
        total -= size - len(small)
        texts[index] = small
    _send_text(head + ",".join(texts) + "]}")


def serve():
    state = _State()
    while True:
        message = _read_message()
        if message is None:
            break
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "init" and state.submission is None and not state.load_failed:
            _handle_init(state, message)
        elif kind == "callBatch" and (state.submission is not None or state.load_failed):
            _handle_batch(state, message)
        else:
            sys.stderr.write("mlgrade runner: unexpected request %r\n" % (kind,))
            _flush_output()
            _os_exit(3)
    _flush_output()
    _os_exit(0)


def probe(modules):
    """--probe: what this interpreter can import, as one JSON line on stdout."""
    report = {"python": "%d.%d.%d" % sys.version_info[:3], "numpy": None, "modules": {}}
    if _np is not None:
        report["numpy"] = _np.__version__
    else:
        report["numpyError"] = _np_error
    for name in modules:
        try:
            __import__(name)
            report["modules"][name] = "ok"
        except BaseException as error:
            report["modules"][name] = "%s: %s" % (type(error).__name__, error)
    sys.stdout.write(_dumps(report) + "\n")
    sys.stdout.flush()


def main(argv):
    libs = []
    probe_mode = False
    probe_modules = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--lib" and index + 1 < len(argv):
            libs.append(argv[index + 1])
            index += 2
        elif arg == "--probe":
            probe_mode = True
            index += 1
        elif arg == "--probe-modules" and index + 1 < len(argv):
            probe_modules = [m for m in argv[index + 1].split(",") if m]
            index += 2
        else:
            sys.stderr.write("mlgrade runner: unknown argument %r\n" % arg)
            return 2
    for lib in libs:
        if lib not in sys.path:
            sys.path.append(lib)
    if probe_mode:
        _import_numpy()
        probe(probe_modules)
        return 0
    _take_protocol_fds()
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except BaseException:
        pass
    _import_numpy()
    serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
