#!/usr/bin/env python3
"""Independent reader (and sample writer) for safetensors files, used to check PhysMod's C# implementation.

Usage:
  check_safetensors.py FILE                 print FILE's tensors and metadata as JSON
  check_safetensors.py --write-sample FILE  write a small file with several dtypes, then print it as JSON

Reading uses the `safetensors` package when it is importable (safetensors.numpy / safe_open); otherwise a
small pure-numpy parser that applies the same checks as the reference reader: header length within the file
and at most 100,000,000 bytes, UTF-8 JSON starting with '{', string-only metadata, known dtypes, data_offsets
equal to dtype size x element count, and tensors covering the data buffer back to back up to the end of the file.

Output: {"reader": ..., "metadata": {...}, "tensors": {name: {"dtype", "shape", "sum", "nonfinite", "sha256"}}}
where sum is the float64 sum of the finite elements, nonfinite counts NaN/inf elements, and sha256 is taken over
the tensor's little-endian bytes (so it is bit exact, NaN payloads and -0.0 included).
An invalid file prints one line to stderr and exits with status 1.
"""

import hashlib
import json
import struct
import sys

import numpy as np

MAX_HEADER = 100_000_000

# safetensors dtype name -> numpy little-endian dtype (None: numpy has no such type; only sha256 is reported).
DTYPES = {
    "BOOL": np.dtype("?"),
    "U8": np.dtype("u1"),
    "I8": np.dtype("i1"),
    "F8_E5M2": None,
    "F8_E4M3": None,
    "F8_E8M0": None,
    "I16": np.dtype("<i2"),
    "U16": np.dtype("<u2"),
    "F16": np.dtype("<f2"),
    "BF16": None,
    "I32": np.dtype("<i4"),
    "U32": np.dtype("<u4"),
    "F32": np.dtype("<f4"),
    "F64": np.dtype("<f8"),
    "I64": np.dtype("<i8"),
    "U64": np.dtype("<u8"),
    "C64": np.dtype("<c8"),
}
SIZES = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1, "I16": 2, "U16": 2,
         "F16": 2, "BF16": 2, "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8, "C64": 8}


class Invalid(Exception):
    pass


def _no_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise Invalid(f"key '{key}' appears twice in a JSON object")
        result[key] = value
    return result


def _non_negative_ints(name, key, value, count=None):
    if not isinstance(value, list) or (count is not None and len(value) != count):
        raise Invalid(f"tensor '{name}': '{key}' is not a list" + (f" of {count} integers" if count else ""))
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or item < 0:
            raise Invalid(f"tensor '{name}': '{key}' entry {item!r} is not a non-negative integer")
    return value


def parse_pure(path):
    """Returns (metadata, {name: (dtype, shape, raw little-endian bytes)}) using only the standard library."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise Invalid(f"file is {len(blob)} bytes, shorter than the header length")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > MAX_HEADER:
        raise Invalid(f"header length {n} is larger than {MAX_HEADER}")
    if 8 + n > len(blob):
        raise Invalid(f"header length {n} goes past the end of the {len(blob)}-byte file")
    try:
        text = blob[8:8 + n].decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise Invalid(f"header is not UTF-8: {e}")
    if not text.startswith("{"):
        raise Invalid("header does not start with '{'")
    try:
        header = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as e:
        raise Invalid(f"header is not JSON: {e}")
    if not isinstance(header, dict):
        raise Invalid("header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise Invalid("__metadata__ is not an object of strings")
    entries = []
    for name, info in header.items():
        if not isinstance(info, dict):
            raise Invalid(f"tensor '{name}' is not an object")
        dtype = info.get("dtype")
        if dtype not in SIZES:
            raise Invalid(f"tensor '{name}' has unknown dtype {dtype!r}")
        shape = _non_negative_ints(name, "shape", info.get("shape"))
        begin, end = _non_negative_ints(name, "data_offsets", info.get("data_offsets"), 2)
        count = 1
        for d in shape:
            count *= d
        if end < begin or end - begin != count * SIZES[dtype]:
            raise Invalid(f"tensor '{name}': data_offsets [{begin}, {end}] do not match {dtype} x {shape}")
        entries.append((begin, end, name, dtype, shape))
    entries.sort()
    position = 0
    for begin, end, name, _, _ in entries:
        if begin != position:
            raise Invalid(f"tensor '{name}' starts at {begin}, not at {position}: a hole or an overlap")
        position = end
    data = blob[8 + n:]
    if position != len(data):
        raise Invalid(f"the tensors cover {position} data bytes but the file has {len(data)}")
    tensors = {name: (dtype, list(shape), data[begin:end]) for begin, end, name, dtype, shape in entries}
    return metadata, tensors


def _numpy_to_safetensors(dtype):
    for name, candidate in DTYPES.items():
        if candidate is not None and np.dtype(dtype).newbyteorder("<") == candidate:
            return name
    raise Invalid(f"numpy dtype {dtype} has no safetensors name")


def load(path):
    """Returns (reader name, metadata, {name: (dtype, shape, raw little-endian bytes)})."""
    try:
        from safetensors import safe_open  # noqa: F401 (only tells whether the package is there)
    except ImportError:
        metadata, tensors = parse_pure(path)
        return "numpy-fallback", metadata, tensors
    try:
        with safe_open(path, framework="np") as f:
            metadata = f.metadata() or {}
            tensors = {}
            for name in f.keys():
                array = np.ascontiguousarray(f.get_tensor(name))
                little = array.astype(array.dtype.newbyteorder("<"), copy=False)
                tensors[name] = (_numpy_to_safetensors(array.dtype), list(array.shape), little.tobytes())
    except Exception as e:  # the package raises its own error types
        raise Invalid(str(e).splitlines()[0] if str(e) else type(e).__name__)
    return "safetensors", metadata, tensors


def summarise(reader, metadata, tensors):
    out = {"reader": reader, "metadata": dict(sorted(metadata.items())), "tensors": {}}
    for name in sorted(tensors):
        dtype, shape, raw = tensors[name]
        entry = {"dtype": dtype, "shape": shape, "sha256": hashlib.sha256(raw).hexdigest()}
        np_dtype = DTYPES.get(dtype)
        if np_dtype is not None and np_dtype.kind != "c":
            values = np.frombuffer(raw, dtype=np_dtype).astype(np.float64)
            finite = np.isfinite(values)
            entry["sum"] = float(values[finite].sum())
            entry["nonfinite"] = int((~finite).sum())
        out["tensors"][name] = entry
    return out


def sample_tensors():
    weights = np.arange(12, dtype=np.float32).reshape(3, 4) * np.float32(0.25) - np.float32(1.0)
    flat = weights.reshape(-1)
    flat[1] = np.float32(-0.0)
    flat[2] = np.array([0x7FC00123], dtype=np.uint32).view(np.float32)[0]  # a NaN with a payload
    flat[3] = np.float32(np.inf)
    return {
        "weights": weights,
        "a_f64": np.array([1.5, -2.25e300], dtype=np.float64),
        "ids": np.array([-3, 0, 2**40, -(2**62), 7], dtype=np.int64),
        "counts": np.array([[1, -2], [2**31 - 1, -(2**31)]], dtype=np.int32),
        "scalar": np.array(3.5, dtype=np.float32),
        "empty": np.zeros((0, 3), dtype=np.float32),
    }


SAMPLE_METADATA = {"system": "string", "json": '{"fs": 48000, "modes": [1, 2]}', "unicode": "\u00e9\u00fc \u266a"}


def write_pure(path, tensors, metadata):
    """Writes the reference layout: tensors by decreasing alignment then name, header padded to 8 bytes."""
    order = sorted(tensors, key=lambda k: (-tensors[k].dtype.itemsize, k))
    header = {"__metadata__": metadata}
    offset = 0
    for name in reversed(order):  # JSON key order deliberately differs from data order: readers must not care
        header[name] = None
    for name in order:
        array = tensors[name]
        size = array.nbytes
        header[name] = {"dtype": _numpy_to_safetensors(array.dtype), "shape": list(array.shape),
                        "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in order:
            array = tensors[name]
            f.write(np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"), copy=False).tobytes())


def write_sample(path):
    tensors = sample_tensors()
    try:
        from safetensors.numpy import save_file
    except ImportError:
        write_pure(path, tensors, SAMPLE_METADATA)
        return
    save_file(tensors, path, metadata=SAMPLE_METADATA)


def main(argv):
    if len(argv) == 3 and argv[1] == "--write-sample":
        write_sample(argv[2])
        path = argv[2]
    elif len(argv) == 2 and not argv[1].startswith("--"):
        path = argv[1]
    else:
        print("usage: check_safetensors.py FILE | check_safetensors.py --write-sample FILE", file=sys.stderr)
        return 2
    try:
        summary = summarise(*load(path))
    except (Invalid, OSError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1
    print(json.dumps(summary, allow_nan=False, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
