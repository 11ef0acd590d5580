"""tqcheck.dataclasscode's table of dataclass code: a class of a tqcheck module made from kept code is the class
``@dataclass`` makes by compiling its source, other modules' classes never go through the table, and a warm
process compiles none of tqcheck's."""

from __future__ import annotations

import builtins
import dataclasses
import os
import subprocess
import sys
import textwrap
import types

import pytest

from tqcheck import dataclasscode
from tqcheck.datacache import KeptTable

from .conftest import ROOT

_CLASSES = textwrap.dedent("""
    from __future__ import annotations

    import dataclasses
    from dataclasses import dataclass, field

    @dataclass(frozen=True, slots=True, order=True)
    class Span:
        start: int
        end: int = 0
        tags: tuple[str, ...] = field(default=(), compare=False)

    @dataclass(frozen=True)
    class Result:
        name: str
        spans: list[Span] = field(default_factory=list)
        score: float | None = None

        def __post_init__(self) -> None:
            if self.score is not None and not 0 <= self.score <= 1:
                raise ValueError("score out of range")

    @dataclass(eq=False, kw_only=True)
    class Mutable:
        items: dict[str, int] = field(default_factory=dict)
        flag: bool = True
""")
_METHODS = ("__init__", "__repr__", "__eq__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__setattr__",
            "__delattr__", "__post_init__")


@pytest.fixture
def fresh_table(tmp_path, monkeypatch):
    """An empty cache folder and no table read yet; what the test adds is not written at exit."""
    monkeypatch.setenv("TQCHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(dataclasscode, "_DATACLASS_CODE", _fresh())
    return tmp_path


def _fresh() -> KeptTable:
    return dataclasscode.new_table()


def _module(name: str, through_table: bool = True) -> types.ModuleType:
    """The test classes made in a new module ``name``; ``through_table=False``: by dataclasses alone (``exec`` as
    the builtin), the definition the table must reproduce."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    saved = vars(dataclasses).pop("exec", None)
    try:
        if through_table:
            dataclasscode.keep_dataclass_code()
        exec(compile(_CLASSES, f"<{name}>", "exec", dont_inherit=True), vars(module))
    finally:
        if saved is not None:
            dataclasses.exec = saved  # type: ignore[attr-defined]
        else:
            vars(dataclasses).pop("exec", None)
        del sys.modules[name]
    return module


def _same_classes(made: types.ModuleType, plain: types.ModuleType) -> None:
    for name in ("Span", "Result", "Mutable"):
        a, b = getattr(made, name), getattr(plain, name)
        for method in _METHODS:
            fa, fb = vars(a).get(method), vars(b).get(method)
            assert (fa is None) == (fb is None), (name, method)
            if isinstance(fa, types.FunctionType):
                assert fa.__code__ == fb.__code__, (name, method)  # type: ignore[union-attr]
                assert fa.__code__.co_consts == fb.__code__.co_consts, (name, method)  # type: ignore[union-attr]
                assert fa.__annotations__ == fb.__annotations__, (name, method)  # type: ignore[union-attr]
                assert fa.__qualname__ == fb.__qualname__ and fa.__defaults__ == fb.__defaults__
                assert fa.__kwdefaults__ == fb.__kwdefaults__
        assert [(f.name, f.type, f.default, f.compare) for f in dataclasses.fields(a)] == \
            [(f.name, f.type, f.default, f.compare) for f in dataclasses.fields(b)]
        assert getattr(a, "__slots__", None) == getattr(b, "__slots__", None)
        assert a.__match_args__ == b.__match_args__ and a.__doc__ == b.__doc__


def _behaviour(module: types.ModuleType) -> tuple[object, ...]:
    span, result, mutable = module.Span, module.Result, module.Mutable
    s = span(3, 5, ("x",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.start = 4  # type: ignore[misc]
    with pytest.raises(ValueError, match="score out of range"):
        result("r", score=2.0)
    with pytest.raises(TypeError):
        mutable({})  # keyword-only
    m = mutable(items={"a": 1})
    m.flag = False
    return (repr(s), s == span(3, 5), s < span(4), hash(s) == hash(span(3, 5, ("y",))), repr(result("r", [s], 0.5)),
            result("r") == result("r"), repr(m), m == mutable(items={"a": 1}, flag=False),
            repr(dataclasses.replace(s, end=9)))


def test_a_class_made_from_kept_code_is_the_class_dataclass_compiles(fresh_table, monkeypatch):
    plain = _module("tqcheck._probe_plain", through_table=False)
    made = _module("tqcheck._probe")
    _same_classes(made, plain)
    assert _behaviour(made) == _behaviour(plain)
    assert dataclasscode._DATACLASS_CODE._added  # compiled once, kept
    dataclasscode._DATACLASS_CODE.save()
    assert list(fresh_table.glob("dataclass-code-*.pickle"))
    # Read back by a new table, as a fresh process reads it: nothing is compiled again.
    monkeypatch.setattr(dataclasscode, "_DATACLASS_CODE", _fresh())
    monkeypatch.setattr(dataclasscode, "_compiled", lambda source: pytest.fail("compiled again"))
    again = _module("tqcheck._probe")
    _same_classes(again, plain)
    assert _behaviour(again) == _behaviour(plain)


def test_other_modules_classes_never_go_through_the_table(fresh_table):
    plain = _module("elsewhere_plain", through_table=False)
    made = _module("elsewhere")
    _same_classes(made, plain)
    assert not dataclasscode._DATACLASS_CODE._added
    assert _module("tqcheckish") and not dataclasscode._DATACLASS_CODE._added  # a name that only starts alike


def test_a_damaged_entry_is_compiled_again(fresh_table):
    source = "def __create_fn__():\n def f(self):\n  return 1\n return f"
    dataclasscode._DATACLASS_CODE.put(source, b"not marshal data")
    code = dataclasscode.dataclass_code(source)
    assert code == builtins.compile(source, "<string>", "exec", dont_inherit=True)


def test_exec_outside_the_table_is_the_builtin(fresh_table):
    space: dict[str, object] = {"__name__": "elsewhere"}
    dataclasscode._dataclass_exec("x = 1", space)
    local: dict[str, object] = {}
    dataclasscode._dataclass_exec("y = x + 1", space, local)
    assert space["x"] == 1 and local == {"y": 2} and not dataclasscode._DATACLASS_CODE._added


def test_a_warm_process_compiles_none_of_tqchecks_dataclasses(tmp_path):
    """Two fresh interpreters check the sample pair; the second compiles no dataclass source."""
    script = textwrap.dedent("""
        import builtins, io, sys
        from contextlib import redirect_stdout
        from tqcheck import dataclasscode
        compiled = []
        def counting(*args, **kwargs):
            compiled.append(args[0])
            return builtins.compile(*args, **kwargs)
        dataclasscode.compile = counting  # what dataclasscode compiles (a module global shadows the builtin)
        from tqcheck.cli import main
        # As the command runs: main() with the arguments in sys.argv (only then does it keep dataclass code).
        sys.argv = ["tqcheck", "check", "samples/wechat-ecommerce.zh-de.mt.txt", "--source",
                    "samples/wechat-ecommerce.zh.txt", "--format", "json"]
        with redirect_stdout(io.StringIO()):
            main()
        made = sum(1 for m in list(sys.modules) if m.startswith("tqcheck"))
        print(len(compiled), made)
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TQCHECK_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                           check=False) for _ in range(2)]
    first, second = (run.stdout.split() for run in runs)
    assert int(first[0]) > 0, runs[0].stderr  # the first compiled them (and kept them)
    assert int(second[0]) == 0, runs[1].stderr


def test_a_library_import_leaves_module_dataclasses_as_it_is() -> None:
    """Only the command shadows dataclasses' ``exec``: a program that imports tqcheck and checks a text keeps it."""
    script = ("import dataclasses, tqcheck\n"
              "tqcheck.check('Ein Satz.', '一句话。', config=tqcheck.Config(src_lang='zh', tgt_lang='de'))\n"
              "print('exec' in vars(dataclasses))")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.stdout.split() == ["False"], run.stderr
