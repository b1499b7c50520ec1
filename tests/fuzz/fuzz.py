#!/usr/bin/env python3
"""Seeds, runs and triages foci's libFuzzer harnesses (tests/fuzz/fuzz_<reader>.cpp).

  fuzz.py seeds OUT                      gather seed inputs into OUT/<reader>/
  fuzz.py run BUILD [--seconds S] [--only READER,...]
                                         fuzz every harness for S seconds (default 20)
  fuzz.py signature BUILD READER FILE... run inputs once and print each crash's signature

`run` seeds each harness from the repository (findings/, atlases/, tests/fixtures/, the
MRIcron templates), from tests/fuzz/corpus/<reader>/ (regression inputs of fixed crashes),
never from tests/fuzz/known/ (inputs of crashes not yet fixed). It exits 1 on a crash whose
signature is new; a crash with the signature of a known/ input is reported and fuzzing goes
on. A signature is what failed (sanitizer report kind, uncaught exception type, broken
harness check) and the first foci function on the stack.
"""
import argparse
import gzip
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "fuzz"
TEMPLATES = Path("/usr/share/mricron/templates")
READERS = ["nifti", "overlay", "label_table", "manifest", "lexicon", "region_names", "findings_json",
           "coordinate_table", "sleuth", "brainnet", "nimare", "neurosynth", "figure_spec"]

# Leaks and undefined behaviour end the run, as in the sanitizer build's tests.
SANITIZER_ENV = {
    "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=1:symbolize=1",
    "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1:symbolize=1",
}
FUZZER_FLAGS = ["-rss_limit_mb=2048", "-timeout=10", "-print_final_stats=1"]


# ---------------------------------------------------------------- seeds

def nifti_header(dims, datatype, bitpix, big_endian=False, sform=True, qform=True,
                 slope=0.0, inter=0.0, vox_offset=352.0):
    e = ">" if big_endian else "<"
    h = bytearray(348)
    struct.pack_into(e + "i", h, 0, 348)
    struct.pack_into(e + "8h", h, 40, *(list(dims) + [1] * (8 - len(dims))))
    struct.pack_into(e + "hh", h, 70, datatype, bitpix)
    struct.pack_into(e + "8f", h, 76, 1.0, 2.0, 2.0, 2.0, 1, 1, 1, 1)
    struct.pack_into(e + "fff", h, 108, vox_offset, slope, inter)
    h[123] = 2  # mm
    struct.pack_into(e + "hh", h, 252, 4 if qform else 0, 4 if sform else 0)
    struct.pack_into(e + "6f", h, 256, 0.0, 0.0, 0.0, -90.0, -126.0, -72.0)
    struct.pack_into(e + "12f", h, 280, 2, 0, 0, -90, 0, 2, 0, -126, 0, 0, 2, -72)
    h[344:348] = b"n+1\0"
    return bytes(h)


def nifti_seeds():
    """Small label volumes of every datatype the reader takes, and real atlas headers (from
    the MRIcron templates) on 2x2x2 voxels."""
    seeds = {}
    formats = {2: "B", 4: "h", 8: "i", 16: "f", 64: "d", 256: "b", 512: "H", 768: "I"}
    dims = (3, 2, 3, 4)
    values = [(n * 7) % 5 for n in range(24)]
    for datatype, code in formats.items():
        bitpix = struct.calcsize(code) * 8
        for big in (False, True):
            data = struct.pack((">" if big else "<") + code * 24, *values)
            name = f"dt{datatype}-{'be' if big else 'le'}.nii"
            seeds[name] = nifti_header(dims, datatype, bitpix, big) + b"\0" * 4 + data
    data = struct.pack("<" + "h" * 24, *values)
    seeds["qform-only.nii"] = nifti_header(dims, 4, 16, sform=False) + b"\0" * 4 + data
    seeds["pixdim-only.nii"] = (nifti_header(dims, 4, 16, sform=False, qform=False) +
                                b"\0" * 4 + data)
    seeds["scaled.nii"] = nifti_header(dims, 4, 16, slope=2.0, inter=1.0) + b"\0" * 4 + data
    seeds["4d-one-volume.nii"] = nifti_header((4, 2, 3, 4, 1), 4, 16) + b"\0" * 4 + data
    extension = struct.pack("<ii", 16, 4) + b"foci\0\0\0\0"
    seeds["extension.nii"] = (nifti_header(dims, 4, 16, vox_offset=368.0) +
                              b"\1\0\0\0" + extension + data)
    seeds["header-only.nii"] = nifti_header(dims, 4, 16) + b"\0" * 4
    for atlas in sorted(TEMPLATES.glob("*.nii.gz")) if TEMPLATES.is_dir() else []:
        if atlas.stat().st_size > 400_000:
            continue
        try:
            with gzip.open(atlas, "rb") as f:
                header = bytearray(f.read(352))
        except OSError:
            continue
        if len(header) < 352:
            continue
        little = struct.unpack_from("<i", header, 0)[0] == 348
        e = "<" if little else ">"
        struct.pack_into(e + "4h", header, 40, 3, 2, 2, 2)
        struct.pack_into(e + "f", header, 108, 352.0)
        bitpix = max(8, struct.unpack_from(e + "h", header, 72)[0])
        seeds["real-" + atlas.name[:-3]] = bytes(header) + bytes(range(1, 9)) * (bitpix // 8)
    return seeds


def files(pattern_root, *patterns):
    out = {}
    for pattern in patterns:
        for path in sorted(pattern_root.glob(pattern)):
            if path.is_file():
                out[path.name] = path.read_bytes()
    return out


def read_maybe_gzip(path):
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def lexicon_seeds(regions):
    seeds = {}
    for count in (1, 4, 16):
        subset = {"foci_lexicon": 1, "regions": regions[:count]}
        seeds[f"regions-{count}.json"] = json.dumps(subset, ensure_ascii=False,
                                                    indent=1).encode()
    return seeds


def region_name_seeds(regions):
    names = []
    for r in regions[::4]:
        names += [r.get("en", ""), r.get("zh", "")] + r.get("aliases", [])[:2]
    names = [n for n in names if n]
    seeds = {}
    for n, name in enumerate(names):
        variants = [name]
        if n % 8 == 0:
            variants += ["左侧" + name, "Right " + name, name + ".R", "L " + name, name + "_L"]
        for m, v in enumerate(variants):
            seeds[f"name-{n}-{m}.txt"] = v.encode()
    return seeds


# Words the text formats give meaning to, for libFuzzer's -dict (JSON readers get the keys
# and short string values of their seeds as well).
TEXT_TOKENS = {
    "coordinate_table": ["x", "y", "z", "space", "MNI", "Talairach", "region", "hemisphere",
                         "voxels", "direction", "value", "label", "study", "measure",
                         "increase", "decrease", "left", "right", "\t", ",", '"', "#",
                         "\ufeff", "\r\n"],
    "sleuth": ["// Reference=MNI", "// Reference=Talairach", "// Subjects=", "//", "\t",
               "\r\n"],
    "brainnet": ["\n--edges--\n", "-", "\t", "1e3"],
    "neurosynth": ["\n--metadata--\n", "id", "table_id", "table_num", "peak_id", "doi",
                   "space", "title", "authors", "year", "journal", "MNI", "TAL", "\t"],
    "label_table": ["label", "name", "hemisphere", "left", "right", "midline", "bilateral",
                    "<atlas>", "<data>", '<label index="', '">', "</label>", "</data>",
                    "</atlas>", "\t", "#", "\ufeff", "_L", "_R"],
    "region_names": ["左侧", "右侧", "双侧", "左", "右", "Left ", "Right ", "L ", "R ",
                     ".L", ".R", "_L", "_R", "-", "(", ")"],
    "nifti": [b"n+1\0", b"ni1\0", struct.pack("<i", 348), struct.pack(">i", 348)],
}
TEXT_TOKENS["overlay"] = TEXT_TOKENS["nifti"]
JSON_READERS = ["findings_json", "nimare", "manifest", "lexicon", "figure_spec"]
JSON_TOKENS = ["{", "}", "[", "]", ":", ",", "true", "false", "null", '""', "-1", "0.5"]


def dictionary_entry(token):
    data = token.encode() if isinstance(token, str) else token
    return '"' + "".join(chr(b) if 0x20 <= b < 0x7f and chr(b) not in '"\\' else f"\\x{b:02x}"
                         for b in data) + '"'


def json_words(value, words):
    if isinstance(value, dict):
        for key, item in value.items():
            words.add(json.dumps(key, ensure_ascii=False))
            json_words(item, words)
    elif isinstance(value, list):
        for item in value:
            json_words(item, words)
    elif isinstance(value, str) and len(value) <= 24:
        words.add(json.dumps(value, ensure_ascii=False))


def write_dictionaries(seeds, out):
    out.mkdir(parents=True, exist_ok=True)
    for reader in READERS:
        words = set(TEXT_TOKENS.get(reader, []))
        if reader in JSON_READERS:
            words.update(JSON_TOKENS)
            for data in seeds[reader].values():
                try:
                    json_words(json.loads(data), words)
                except ValueError:
                    pass
        entries = sorted(dictionary_entry(w) for w in words if w)[:1000]
        (out / f"{reader}.dict").write_text("\n".join(entries) + "\n")


def gather_seeds(out):
    findings = ROOT / "findings"
    fixtures = ROOT / "tests" / "fixtures"
    bench = ROOT / "tests" / "bench"
    neurosynth_coordinates = fixtures / "neurosynth/data-neurosynth_version-7_coordinates.tsv.gz"
    regions = json.loads((ROOT / "atlases" / "regions.json").read_text())["regions"]
    seeds = {
        "nifti": nifti_seeds(),
        "overlay": nifti_seeds(),
        "label_table": {**files(ROOT / "atlases", "*.tsv"), **files(fixtures / "fsl", "*.xml"),
                        **(files(TEMPLATES, "*.nii.txt") if TEMPLATES.is_dir() else {})},
        "manifest": {k: v for k, v in files(ROOT / "atlases", "*.json").items()
                     if k != "regions.json"},
        "lexicon": lexicon_seeds(regions),
        "region_names": region_name_seeds(regions),
        "findings_json": {**{f"{p.parent.name}-{p.name}": p.read_bytes()
                             for p in sorted(findings.glob("*/*.json"))
                             if p.name != "figures.json"},
                          "render_scene.json": (bench / "render_scene.json").read_bytes()},
        "coordinate_table": {**files(findings / "examples", "*.tsv"),
                             "neurosynth-coordinates.tsv": read_maybe_gzip(neurosynth_coordinates)},
        "sleuth": files(fixtures / "sleuth", "*.txt"),
        "brainnet": files(fixtures / "brainnet", "*/*.node"),
        "nimare": files(fixtures / "nimare", "*.json"),
        "neurosynth": {},
        "figure_spec": {f"{p.parent.name}-{p.name}": p.read_bytes()
                        for p in sorted(findings.glob("*/figures.json"))},
    }
    # Two-file formats: the harness splits the input at a separator line.
    for node, edge in (("AAL90/Node_AAL90.node", "AAL90/Edge_AAL90_Binary.edge"),
                       ("LPBA40/Node_LPBA40.node", "LPBA40/Edge_LPBA40.edge")):
        seeds["brainnet"]["with-edges-" + Path(edge).name] = (
            (fixtures / "brainnet" / node).read_bytes() + b"\n--edges--\n" +
            (fixtures / "brainnet" / edge).read_bytes())
    seeds["neurosynth"]["neurosynth-v7.txt"] = (
        read_maybe_gzip(neurosynth_coordinates) +
        b"\n--metadata--\n" +
        read_maybe_gzip(fixtures / "neurosynth/data-neurosynth_version-7_metadata.tsv.gz"))
    # CSV seeds from the TSV ones, as Excel would save them.
    for name, text in list(seeds["coordinate_table"].items()):
        lines = text.decode("utf-8", "replace").splitlines()
        csv = "\n".join(",".join(f'"{c}"' if " " in c else c for c in line.split("\t"))
                        for line in lines)
        seeds["coordinate_table"][name + ".csv"] = csv.encode()
    write_dictionaries(seeds, out)
    for reader in READERS:
        folder = out / reader
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in seeds[reader].items():
            (folder / ("seed-" + name)).write_bytes(data)
        # Regression inputs of fixed crashes: seeds too, so a crash that comes back fails.
        for path in sorted((HERE / "corpus" / reader).glob("*")):
            if path.is_file() and path.name != "README.md":
                shutil.copyfile(path, folder / ("regression-" + path.name))
    return {reader: len(list((out / reader).iterdir())) for reader in READERS}


# ---------------------------------------------------------------- crash signatures

NUMBER = re.compile(r"(?<![A-Za-z_0-9.])-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
                    r"|inf\b|nan\b)")
FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ in (.+?)(?: (/\S+?)(?::\d+)*)?$")
SYSTEM_FUNCTION = re.compile(
    r"^(__sanitizer|__asan|__ubsan|__lsan|__interceptor|fuzzer::|malloc|calloc|realloc|free"
    r"|operator new|operator delete|abort|raise|__GI_|__libc|__pthread|pthread_|std::terminate"
    r"|__cxxabiv1|__cxa_|__gnu_cxx::__verbose_terminate_handler|_Unwind|_start|main$"
    r"|LLVMFuzzerTestOneInput|void foci::fuzz::|foci::fuzz::)")


def short_function(name):
    """A function as the signature names it: no parameters, template arguments as <>."""
    name = name.replace("(anonymous namespace)", "{anon}").replace("operator()", "operator\0")
    out, depth = [], 0
    for c in name:
        if c == "<":
            depth += 1
            if depth == 1:
                out.append("<>")
        elif c == ">" and depth > 0:
            depth -= 1
        elif depth > 0:
            continue
        elif c == "(" and out:
            break
        else:
            out.append(c)
    return "".join(out).strip().replace("\0", "()")


HARNESS_PLUMBING = re.compile(r"expect_only_foci_errors|LLVMFuzzerTestOneInput|scratch_folder"
                              r"|write_input|fuzz::bug\(")


def first_frame(lines, file_only=False):
    """The first frame in foci (pipeline/) or a harness check (tests/fuzz/), else the first
    that is not the sanitizers', libFuzzer's, libc's or the C++ runtime's. With file_only,
    the source file of the first frame in foci or the harness instead."""
    frames = []
    for line in lines:
        m = FRAME.match(line)
        if m:
            frames.append((m.group(1), m.group(2) or ""))
        elif frames and not line.strip():
            break  # the end of the first stack
    for function, path in frames:
        if ("/pipeline/" in path or "/tests/fuzz/" in path) \
                and not HARNESS_PLUMBING.search(function):
            if file_only:
                return re.sub(r".*/(pipeline|tests/fuzz)/", r"\1/", path)
            return short_function(function)
    for function, path in frames:
        if not SYSTEM_FUNCTION.match(function) and "/tests/fuzz/" not in path \
                and "libFuzzer" not in path and "compiler-rt" not in path:
            return short_function(function)
    return "?"


def signature(log):
    """What failed and where, stable across runs; None when the log shows no crash."""
    lines = log.splitlines()
    kind, at = None, len(lines)
    patterns = [
        (r"^FOCI-FUZZ-BUG: (.*)$", lambda m: "bug: " + m.group(1)),
        (r"terminate called after throwing an instance of '(.*)'",
         lambda m: "uncaught " + m.group(1)),
        (r"ERROR: AddressSanitizer: (.*?)(?: on (?:address|unknown)| at pc| \(|$)",
         lambda m: "asan " + m.group(1)),
        (r"ERROR: LeakSanitizer: detected memory leaks", lambda m: "leak"),
        (r"runtime error: (.*)$", lambda m: "ubsan " + m.group(1)),
        (r"ERROR: libFuzzer: (.*)$", lambda m: "libFuzzer " + m.group(1)),
    ]
    for pattern, describe in patterns:
        for n, line in enumerate(lines):
            m = re.search(pattern, line)
            if m:
                kind, at = describe(m), n
                break
        if kind:
            break
    if not kind:
        return None
    # Values differ from one input to the next; the kind of failure does not.
    kind = NUMBER.sub("N", kind)
    if kind.startswith("uncaught"):
        for line in lines[at + 1:at + 3]:
            m = re.search(r"what\(\):\s+(\[json\.exception\.[a-z_]+\.\d+\])", line)
            if m:
                kind += " " + m.group(1)
    elif kind.startswith("bug:") and lines[at + 1:at + 2] and \
            lines[at + 1].startswith("foci-fuzz: "):
        detail = NUMBER.sub("N", lines[at + 1][len("foci-fuzz: "):])
        # One defect, whichever axis or id shows it.
        detail = re.sub(r"/coordinate/[xyz]\b", "/coordinate/_", detail)
        detail = re.sub(r'"[^"]*"', '"_"', detail)
        kind += " (" + detail[:100] + ")"
    if kind == "asan stack-overflow":
        # Where the stack runs out varies; the recursion does not. Name it by the first (in
        # name order) of the functions that repeat on the printed stack.
        counts = {}
        for line in lines[at:]:
            m = FRAME.match(line)
            if m:
                function = short_function(m.group(1))
                counts[function] = counts.get(function, 0) + 1
        repeating = sorted(f for f, n in counts.items() if n >= 3)
        if repeating:
            return f"{kind} in recursion through {repeating[0]}"
    if kind.startswith(("libFuzzer out-of-memory", "libFuzzer timeout")):
        # Memory runs out, or time, wherever the program happens to be: name the file, and
        # not how much was asked for or used.
        kind = re.sub(r" \(.*| after.*", "", kind)
        return f"{kind} in {first_frame(lines[at:], file_only=True)}"
    # The first stack after the report line: the crashing thread's, a leak's allocation, or
    # where undefined behaviour happened.
    return f"{kind} in {first_frame(lines[at:])}"


def environment():
    env = dict(os.environ)
    env.update(SANITIZER_ENV)
    return env


def run_once(binary, path, log_dir):
    """Runs one input; returns (signature or None, log path)."""
    log = log_dir / (path.name + ".log")
    with open(log, "w") as out:
        subprocess.run([str(binary), *FUZZER_FLAGS, f"-artifact_prefix={log_dir}/", str(path)],
                       stdout=out, stderr=subprocess.STDOUT, env=environment(), timeout=300)
    return signature(log.read_text(errors="replace")), log


# ---------------------------------------------------------------- run

def known_inputs(reader):
    folder = HERE / "known" / reader
    return sorted(p for p in folder.glob("*") if p.is_file() and p.name != "README.md") \
        if folder.is_dir() else []


def print_report(log_text, limit=60):
    lines = log_text.splitlines()
    start = next((n for n, l in enumerate(lines)
                  if re.search(r"FOCI-FUZZ-BUG|terminate called|ERROR: (Address|Leak)Sanitizer|"
                               r"runtime error:|ERROR: libFuzzer", l)), max(0, len(lines) - limit))
    for line in lines[max(0, start - 3):start + limit]:
        print("    " + (line if len(line) <= 240 else line[:237] + "..."))


def fuzz_reader(reader, binary, work, seconds):
    """Returns (new crashes, known crashes met, fixed known inputs, stats line)."""
    corpus, logs = work / "corpus" / reader, work / "logs" / reader
    crashes = work / "crashes" / reader
    for folder in (corpus, logs, crashes):
        folder.mkdir(parents=True, exist_ok=True)
    known = {}
    fixed = []
    for path in known_inputs(reader):
        sig, _ = run_once(binary, path, logs)
        if sig:
            known.setdefault(sig, []).append(path.name)
        else:
            fixed.append(path)
    new, met = [], []
    deadline = time.monotonic() + seconds
    total_runs, coverage, starts = 0, 0, 0
    # A crash stops libFuzzer; after a known one, fuzzing starts again (keeping the corpus it
    # grew) until the time is up.
    for attempt in range(200):
        remaining = int(deadline - time.monotonic())
        if remaining < 2:
            break
        starts += 1
        log = logs / f"fuzz-{attempt}.log"
        with open(log, "w") as out:
            result = subprocess.run(
                [str(binary), *FUZZER_FLAGS, f"-max_total_time={remaining}",
                 f"-dict={work / 'seeds' / (reader + '.dict')}",
                 f"-artifact_prefix={crashes}/", str(corpus), str(work / "seeds" / reader)],
                stdout=out, stderr=subprocess.STDOUT, env=environment(),
                timeout=remaining + 120)
        text = log.read_text(errors="replace")
        total_runs += sum(int(n) for n in
                          re.findall(r"stat::number_of_executed_units:\s*(\d+)", text))
        coverage = max([coverage] + [int(n) for n in re.findall(r" cov: (\d+)", text)])
        if result.returncode == 0:
            break
        sig = signature(text) or f"exit status {result.returncode}"
        unit = re.findall(r"Test unit written to (\S+)", text)
        artifact = unit[-1] if unit else "(no input saved)"
        if sig in known:
            met.append((sig, artifact, known[sig]))
            continue
        new.append((sig, artifact, text))
        break
    stats = f"{total_runs} runs in {starts} start(s), coverage {coverage}"
    return new, met, fixed, stats


def command_run(args):
    build = Path(args.build).resolve()
    work = build / "fuzz-run"
    readers = args.only.split(",") if args.only else READERS
    shutil.rmtree(work / "seeds", ignore_errors=True)
    shutil.rmtree(work / "crashes", ignore_errors=True)
    shutil.rmtree(work / "logs", ignore_errors=True)
    counts = gather_seeds(work / "seeds")
    failed = False
    for reader in readers:
        binary = build / "tests" / "fuzz" / f"fuzz_{reader}"
        if not binary.exists():
            print(f"fuzz: {reader}: {binary} is missing (build the foci_fuzzers target)")
            failed = True
            continue
        started = time.monotonic()
        new, met, fixed, stats = fuzz_reader(reader, binary, work, args.seconds)
        took = time.monotonic() - started
        print(f"fuzz: {reader}: {counts[reader]} seeds, {stats}, {took:.0f} s, "
              f"{'NEW CRASH' if new else 'no new crash'}", flush=True)
        for sig in dict.fromkeys(sig for sig, _, _ in met):
            times = sum(1 for m in met if m[0] == sig)
            names = ", ".join(next(m[2] for m in met if m[0] == sig))
            print(f"fuzz: {reader}:   known defect met {times}x ({names}): {sig}")
        for path in fixed:
            print(f"fuzz: {reader}:   {path.relative_to(ROOT)} no longer crashes: move it to "
                  f"tests/fuzz/corpus/{reader}/ and its README line with it")
        for sig, artifact, text in new:
            failed = True
            print(f"fuzz: {reader}: NEW CRASH {sig}\n    input: {artifact}\n"
                  f"    reproduce: {binary} {artifact}")
            print_report(text)
    return 1 if failed else 0


def command_seeds(args):
    for reader, count in gather_seeds(Path(args.out)).items():
        print(f"{reader}: {count} seeds")
    return 0


def command_signature(args):
    binary = Path(args.build).resolve() / "tests" / "fuzz" / f"fuzz_{args.reader}"
    logs = Path(args.build).resolve() / "fuzz-run" / "signature"
    logs.mkdir(parents=True, exist_ok=True)
    status = 0
    for name in args.files:
        sig, log = run_once(binary, Path(name).resolve(), logs)
        print(f"{name}: {sig or 'no crash'}  (log: {log})")
        status |= 1 if sig else 0
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("seeds")
    p.add_argument("out")
    p.set_defaults(run=command_seeds)
    p = sub.add_parser("run")
    p.add_argument("build")
    p.add_argument("--seconds", type=int, default=20)
    p.add_argument("--only")
    p.set_defaults(run=command_run)
    p = sub.add_parser("signature")
    p.add_argument("build")
    p.add_argument("reader", choices=READERS)
    p.add_argument("files", nargs="+")
    p.set_defaults(run=command_signature)
    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
