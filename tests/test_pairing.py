"""Pairing targets with sources and references: naming conventions, parallel folders, manifests, options."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tqcheck.errors import ConfigError
from tqcheck.readers.pairing import PairSpec, pair_inputs
from tqcheck.readers.paths import NameParts, lang_from_folder, langs_from_name, primary_lang, split_name
from tqcheck.types import FileError

DATA = Path(__file__).resolve().parent / "data" / "pairing"
TREE = DATA / "tree"


def make(root: Path, *names: str) -> Path:
    """Create small text files under ``root`` (their content is their name: pairing never reads them)."""
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name + "\n", encoding="utf-8")
    return root


def spec(root: Path, target: str, source: str | None = None, reference: str | None = None,
         src: str | None = None, tgt: str | None = None) -> PairSpec:
    return PairSpec(root / target, root / source if source else None, root / reference if reference else None,
                    src, tgt)


# --- file-name helpers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("a.zh-de.mt.txt", NameParts("a", ".txt", "de", "zh", "mt", True)),
        ("a.de.ref.txt", NameParts("a", ".txt", "de", None, "ref")),
        ("a.ref.de.txt", NameParts("a", ".txt", "de", None, "ref")),
        ("a.de.txt", NameParts("a", ".txt", "de")),
        ("v1.2.de.TXT", NameParts("v1.2", ".txt", "de")),
        ("de.txt", NameParts("de", ".txt", None)),
        ("a.txt", NameParts("a", ".txt", None)),
        ("README", NameParts("README", "", None)),
    ],
)
def test_split_name_reads_language_and_role_markers(name, parts):
    assert split_name(name) == parts


def test_split_name_agrees_with_langs_from_name():
    """The new helper never contradicts the existing one on conventional names."""
    for name in ["a.zh-de.mt.txt", "a.de.txt", "a.txt", "a.de.ref.txt", "x.en-zh.txt"]:
        parts = split_name(name)
        assert langs_from_name(name) == (parts.src, parts.lang)


@pytest.mark.parametrize(
    ("folder", "lang"),
    [("de", "de"), ("DE", "de"), ("de-DE", "de"), ("zh_CN", "zh"), ("zh-Hans", "zh"), ("pt-br", "pt"),
     ("zh-de", None), ("src", None), ("docs", None), ("xx", None)],
)
def test_lang_from_folder(folder, lang):
    assert lang_from_folder(folder) == lang


@pytest.mark.parametrize(("tag", "lang"), [("zh-CN", "zh"), ("de_DE", "de"), ("EN", "en"), ("*all*", None),
                                           ("", None), (None, None), ("chinese", None)])
def test_primary_lang(tag, lang):
    assert primary_lang(tag) == lang


# --- same-folder convention ----------------------------------------------------------------------------------


def test_pair_same_folder_target_language_decides(tmp_path):
    """x.de.txt ↔ x.zh.txt: with --tgt-lang de the Chinese file is the source and is not checked."""
    make(tmp_path, "a.zh.txt", "a.de.txt")
    assert pair_inputs([tmp_path], tgt_lang="de") == ([spec(tmp_path, "a.de.txt", "a.zh.txt", src="zh", tgt="de")], [])


def test_pair_same_folder_source_language_gives_several_targets(tmp_path):
    """With --src-lang zh every other language version is a target of the Chinese source."""
    make(tmp_path, "a.zh.txt", "a.de.txt", "a.fr.txt")
    assert pair_inputs([tmp_path], src_lang="zh") == ([
        spec(tmp_path, "a.de.txt", "a.zh.txt", src="zh", tgt="de"),
        spec(tmp_path, "a.fr.txt", "a.zh.txt", src="zh", tgt="fr"),
    ], [])


@pytest.mark.parametrize("ref", ["a.de.ref.txt", "a.ref.de.txt"])
def test_pair_mt_name_finds_source_and_reference(tmp_path, ref):
    """x.zh-de.mt.txt names its own pair: x.zh.txt is its source, x.de.ref.txt or x.ref.de.txt its reference."""
    make(tmp_path, "a.zh.txt", "a.zh-de.mt.txt", ref)
    assert pair_inputs([tmp_path]) == ([spec(tmp_path, "a.zh-de.mt.txt", "a.zh.txt", ref, "zh", "de")], [])


def test_pair_mt_marker_with_single_language(tmp_path):
    """x.de.mt.txt is a German translation: with --tgt-lang de, x.zh.txt is its source."""
    make(tmp_path, "a.zh.txt", "a.de.mt.txt")
    assert pair_inputs([tmp_path], tgt_lang="de") == (
        [spec(tmp_path, "a.de.mt.txt", "a.zh.txt", src="zh", tgt="de")], [])


def test_pair_source_named_by_other_files_settles_a_group(tmp_path):
    """No options: zh is a source because b.zh-de.mt.txt says so, so a.zh.txt is the source of a.de.txt."""
    make(tmp_path, "a.zh.txt", "a.de.txt", "b.zh.txt", "b.zh-de.mt.txt")
    specs, errors = pair_inputs([tmp_path])
    assert errors == []
    assert specs == [spec(tmp_path, "a.de.txt", "a.zh.txt", src="zh", tgt="de"),
                     spec(tmp_path, "b.zh-de.mt.txt", "b.zh.txt", src="zh", tgt="de")]


def test_pair_ambiguous_group_is_an_error_not_a_guess(tmp_path):
    """Two language versions and nothing to tell which is the source: one FileError, nothing checked."""
    make(tmp_path, "a.zh.txt", "a.de.txt", "b.txt")
    specs, errors = pair_inputs([tmp_path])
    assert specs == [spec(tmp_path, "b.txt")]
    assert errors == [FileError(
        tmp_path / "a.de.txt", "ambiguous-pair",
        f"cannot tell the source from the translation among {tmp_path / 'a.de.txt'} (de), "
        f"{tmp_path / 'a.zh.txt'} (zh); pass --src-lang or --tgt-lang")]


def test_pair_three_languages_with_only_target_is_ambiguous(tmp_path):
    """--tgt-lang de among zh, en and de leaves two candidate sources: still an error."""
    make(tmp_path, "a.zh.txt", "a.de.txt", "a.en.txt")
    specs, errors = pair_inputs([tmp_path], tgt_lang="de")
    assert specs == []
    assert [(e.path.name, e.kind) for e in errors] == [("a.de.txt", "ambiguous-pair")]


def test_pair_target_without_source(tmp_path):
    """A translation whose source is absent is still checked; the spec says source None."""
    make(tmp_path, "a.de.txt", "notes.txt")
    assert pair_inputs([tmp_path]) == ([spec(tmp_path, "a.de.txt", tgt="de"), spec(tmp_path, "notes.txt")], [])


def test_pair_other_suffix_does_not_pair(tmp_path):
    """a.zh.md is not the source of a.de.txt: a pair shares base name and extension."""
    make(tmp_path, "a.zh.md", "a.de.txt")
    assert pair_inputs([tmp_path / "a.de.txt"]) == ([spec(tmp_path, "a.de.txt", tgt="de")], [])


def test_pair_explicit_file_finds_its_source_on_disk(tmp_path):
    """Naming only the target is enough: its source next to it is found even though it was not named."""
    make(tmp_path, "a.zh.txt", "a.de.txt")
    assert pair_inputs([tmp_path / "a.de.txt"], tgt_lang="de") == (
        [spec(tmp_path, "a.de.txt", "a.zh.txt", src="zh", tgt="de")], [])


def test_pair_source_named_alone_is_reported_not_checked(tmp_path):
    """A source named on purpose is not checked as a translation, and the user is told why."""
    make(tmp_path, "a.zh.txt", "a.de.txt")
    specs, errors = pair_inputs([tmp_path / "a.zh.txt"], tgt_lang="de")
    assert specs == []
    assert errors == [FileError(tmp_path / "a.zh.txt", "not-a-target",
                                "is in zh (by its name), but the target language is de")]
    specs, errors = pair_inputs([tmp_path / "a.zh.txt"], src_lang="zh")
    assert specs == []
    assert errors == [FileError(tmp_path / "a.zh.txt", "not-a-target",
                                "is the zh source of a.de.txt; it is not checked as a translation")]


def test_pair_source_named_with_its_target_is_silent(tmp_path):
    """A shell glob names source and target: the source pairs with the target, no error."""
    make(tmp_path, "a.zh.txt", "a.de.txt")
    specs, errors = pair_inputs([tmp_path / "a.de.txt", tmp_path / "a.zh.txt"], src_lang="zh")
    assert (specs, errors) == ([spec(tmp_path, "a.de.txt", "a.zh.txt", src="zh", tgt="de")], [])


def test_pair_reference_is_never_a_target(tmp_path):
    make(tmp_path, "a.de.ref.txt")
    assert pair_inputs([tmp_path]) == ([], [])
    specs, errors = pair_inputs([tmp_path / "a.de.ref.txt"])
    assert specs == []
    assert [(e.kind, e.message.split(":")[0]) for e in errors] == [("not-a-target", "is a reference translation")]


# --- parallel language folders -------------------------------------------------------------------------------


def test_pair_parallel_folders(tmp_path):
    """…/de/x.txt ↔ …/zh/x.txt at any depth below the language folders; x.ref.txt is the reference."""
    make(tmp_path, "zh/x.txt", "de/x.txt", "de/x.ref.txt", "zh/sub/y.txt", "de/sub/y.txt", "de/only.txt")
    assert pair_inputs([tmp_path], tgt_lang="de") == ([
        spec(tmp_path, "de/only.txt", tgt="de"),
        spec(tmp_path, "de/sub/y.txt", "zh/sub/y.txt", src="zh", tgt="de"),
        spec(tmp_path, "de/x.txt", "zh/x.txt", "de/x.ref.txt", src="zh", tgt="de"),
    ], [])


def test_pair_parallel_folders_with_region_names(tmp_path):
    make(tmp_path, "zh_CN/x.txt", "de-DE/x.txt")
    assert pair_inputs([tmp_path], src_lang="zh") == ([spec(tmp_path, "de-DE/x.txt", "zh_CN/x.txt", src="zh",
                                                            tgt="de")], [])


def test_pair_parallel_folders_ambiguous(tmp_path):
    """Folders de and zh and no option or name that says which is the source: an error per file pair."""
    make(tmp_path, "zh/x.txt", "de/x.txt", "zh/y.txt", "de/y.txt")
    specs, errors = pair_inputs([tmp_path])
    assert specs == []
    assert [(e.path, e.kind) for e in errors] == [(tmp_path / "de/x.txt", "ambiguous-pair"),
                                                  (tmp_path / "de/y.txt", "ambiguous-pair")]
    assert all("pass --src-lang or --tgt-lang" in e.message for e in errors)


def test_pair_lone_language_folder_is_not_a_language(tmp_path):
    """A folder named "it" with no language siblings is an ordinary folder (IT, not Italian)."""
    make(tmp_path, "it/x.txt", "docs/y.txt")
    assert pair_inputs([tmp_path]) == ([spec(tmp_path, "docs/y.txt"), spec(tmp_path, "it/x.txt")], [])


# --- bilingual files, folders, missing paths -----------------------------------------------------------------


def test_pair_bilingual_files_carry_their_own_source(tmp_path):
    make(tmp_path, "a.zh-de.jsonl", "b.tsv", "c.xlf", "d.xliff", "e.tmx", "f.csv")
    assert pair_inputs([tmp_path]) == ([
        spec(tmp_path, "a.zh-de.jsonl", src="zh", tgt="de"), spec(tmp_path, "b.tsv"), spec(tmp_path, "c.xlf"),
        spec(tmp_path, "d.xliff"), spec(tmp_path, "e.tmx"),
    ], [])


def test_pair_skips_hidden_and_non_text_files(tmp_path):
    make(tmp_path, ".git/x.de.txt", "sub/.draft.de.txt", "a.de.txt", "image.png", "table.csv")
    assert pair_inputs([tmp_path]) == ([spec(tmp_path, "a.de.txt", tgt="de")], [])


def test_pair_missing_path_is_a_file_error_and_others_go_on(tmp_path):
    make(tmp_path, "a.de.txt")
    specs, errors = pair_inputs([tmp_path / "nope", tmp_path / "a.de.txt"])
    assert specs == [spec(tmp_path, "a.de.txt", tgt="de")]
    assert errors == [FileError(tmp_path / "nope", "not-found", "no such file or folder")]


def test_pair_target_listed_once(tmp_path):
    make(tmp_path, "a.de.txt")
    specs, _ = pair_inputs([tmp_path, tmp_path / "a.de.txt", tmp_path / "." / "a.de.txt"])
    assert specs == [spec(tmp_path, "a.de.txt", tgt="de")]


def test_pair_invalid_language_option():
    with pytest.raises(ConfigError, match="--tgt-lang: 'german' is not a language code"):
        pair_inputs([], tgt_lang="german")


# --- the sample tree: every convention at once, deterministically --------------------------------------------


def tree_specs(root: Path) -> list[PairSpec]:
    return [
        spec(root, "parallel/de/ch1/a.txt", "parallel/zh/ch1/a.txt", src="zh", tgt="de"),
        spec(root, "parallel/de/intro.txt", "parallel/zh/intro.txt", "parallel/de/intro.ref.txt", "zh", "de"),
        spec(root, "parallel/de/only-de.txt", tgt="de"),
        spec(root, "same-folder/news.zh-de.mt.txt", "same-folder/news.zh.txt", "same-folder/news.ref.de.txt",
             "zh", "de"),
        spec(root, "same-folder/notes.txt", tgt="de"),
        spec(root, "same-folder/orphan.de.txt", tgt="de"),
        spec(root, "same-folder/wechat.de.txt", "same-folder/wechat.zh.txt", "same-folder/wechat.de.ref.txt",
             "zh", "de"),
        spec(root, "units.zh-de.tsv", src="zh", tgt="de"),
    ]


def test_pair_sample_tree():
    """The sample tree pairs as documented; the Chinese sources and the references are not targets."""
    assert pair_inputs([TREE], tgt_lang="de") == (tree_specs(TREE), [])


def test_pair_order_is_deterministic(tmp_path):
    """Same tree copied in reverse creation order: same pairs in the same (sorted) order."""
    copy = tmp_path / "tree"
    for path in sorted(TREE.rglob("*"), reverse=True):
        if path.is_file():
            target = copy / path.relative_to(TREE)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    first = pair_inputs([copy], tgt_lang="de")
    assert first == (tree_specs(copy), [])
    assert pair_inputs([copy], tgt_lang="de") == first


# --- manifests -----------------------------------------------------------------------------------------------


def test_pair_manifest_csv_missing_file_reported_others_go_on():
    """Rows in manifest order, paths relative to the manifest; the row with a missing source is a FileError."""
    specs, errors = pair_inputs([], manifest=DATA / "manifest.csv")
    assert specs == [
        spec(DATA, "tree/same-folder/wechat.de.txt", "tree/same-folder/wechat.zh.txt", src="zh", tgt="de"),
        spec(DATA, "tree/parallel/de/intro.txt", "tree/parallel/zh/intro.txt", "tree/parallel/de/intro.ref.txt",
             src="zh", tgt="de"),
        spec(DATA, "tree/units.zh-de.tsv", src="zh", tgt="de"),
    ]
    assert errors == [FileError(
        DATA / "manifest.csv", "not-found",
        f"line 4: source 'tree/same-folder/missing.zh.txt' not found "
        f"(looked for {DATA / 'tree/same-folder/missing.zh.txt'})")]


def test_pair_manifest_jsonl_missing_file_reported_others_go_on():
    specs, errors = pair_inputs([], manifest=DATA / "manifest.jsonl", tgt_lang="de")
    assert specs == [
        spec(DATA, "tree/parallel/de/ch1/a.txt", "tree/parallel/zh/ch1/a.txt", src="zh", tgt="de"),
        spec(DATA, "tree/same-folder/notes.txt", tgt="de"),
    ]
    assert [(e.path, e.kind, e.message.split(" (")[0]) for e in errors] == [
        (DATA / "manifest.jsonl", "not-found", "line 2: target 'tree/nowhere.de.txt' not found")]


def test_pair_manifest_rows_come_first_and_targets_are_not_repeated():
    specs, errors = pair_inputs([TREE / "same-folder"], manifest=DATA / "manifest.csv", tgt_lang="de")
    targets = [s.target for s in specs]
    assert targets[:3] == [DATA / "tree/same-folder/wechat.de.txt", DATA / "tree/parallel/de/intro.txt",
                           DATA / "tree/units.zh-de.tsv"]
    assert len(targets) == len(set(targets))
    assert TREE / "same-folder/news.zh-de.mt.txt" in targets
    assert len(errors) == 1


@pytest.mark.parametrize(
    ("name", "content", "errors", "good_rows"),
    [
        ("m.csv", "target,source,notes\na.de.txt,,x\n",
         [("malformed", "line 1: unknown column 'notes' in the header")], 0),
        ("m.csv", "source\na.zh.txt\n", [("malformed", "line 1: no 'target' column in the header")], 0),
        ("m.csv", "", [("empty", "file is empty")], 0),
        ("m.csv", "target,source\na.de.txt\n,a.zh.txt\na.de.txt,a.zh.txt\n",
         [("malformed", "line 2: expected 2 columns (as in the header on line 1), found 1"),
          ("malformed", "line 3: no target")], 1),
        ("m.csv", "target,tgt_lang\na.de.txt,deutsch\n",
         [("malformed", "line 2: tgt_lang 'deutsch' is not a language")], 0),
        ("m.jsonl", '{"target": "a.de.txt", "soruce": "a.zh.txt"}\n{"target": \n{"target": 5}\n["a.de.txt"]\n'
                    '{"target": "a.de.txt", "source": "a.zh.txt"}\n',
         [("malformed", "line 1: unknown key 'soruce'"), ("malformed", "line 2: invalid JSON at column 12"),
          ("malformed", "line 3: 'target' must be a string"), ("malformed", "line 4: expected a JSON object")], 1),
        ("m.jsonl", '{"target": "sub"}\n{"target": "u.tsv", "source": "a.zh.txt"}\n',
         [("not-found", "line 1: target 'sub' is a folder, expected a file"),
          ("malformed", "line 2: u.tsv is a bilingual file and carries its own source")], 0),
    ],
)
def test_pair_manifest_bad_rows(tmp_path, name, content, errors, good_rows):
    """Each bad row is a FileError naming the manifest and its line; good rows still pair."""
    make(tmp_path, "a.zh.txt", "a.de.txt", "u.tsv", "sub/x.txt")
    manifest = tmp_path / name
    manifest.write_text(content, encoding="utf-8")
    specs, found = pair_inputs([], manifest=manifest)
    assert all(e.path == manifest for e in found)
    assert [(e.kind, e.message[:len(m)]) for e, (_, m) in zip(found, errors, strict=True)] == errors
    assert specs == [spec(tmp_path, "a.de.txt", "a.zh.txt", src="zh", tgt="de")] * good_rows


def test_pair_missing_manifest(tmp_path):
    assert pair_inputs([], manifest=tmp_path / "m.csv") == (
        [], [FileError(tmp_path / "m.csv", "not-found", "no such manifest file")])


# --- explicit source and reference ---------------------------------------------------------------------------


def test_pair_explicit_source_and_reference(tmp_path):
    make(tmp_path, "mt.txt", "orig.zh.txt", "human.txt")
    assert pair_inputs([tmp_path / "mt.txt"], source=tmp_path / "orig.zh.txt", reference=tmp_path / "human.txt",
                       tgt_lang="de") == ([spec(tmp_path, "mt.txt", "orig.zh.txt", "human.txt", "zh", "de")], [])


def test_pair_explicit_source_missing_is_a_file_error(tmp_path):
    make(tmp_path, "mt.txt")
    assert pair_inputs([tmp_path / "mt.txt"], source=tmp_path / "src.txt") == (
        [], [FileError(tmp_path / "src.txt", "not-found", "no such file (named by --source)")])


@pytest.mark.parametrize(
    ("paths", "kwargs", "message"),
    [
        (["a.de.txt", "b.de.txt"], {"source": "a.zh.txt"}, "--source applies to exactly one target file, got 2 paths"),
        (["."], {"reference": "r.txt"}, "--reference applies to exactly one target file, got the folder"),
        ([], {"source": "a.zh.txt"}, "--source applies to exactly one target file, got 0 paths"),
        (["a.de.txt"], {"source": "a.zh.txt", "manifest": "m.csv"}, "--source cannot be combined with --manifest"),
        (["u.tsv"], {"source": "a.zh.txt"}, "u.tsv is a bilingual file and carries its own source"),
    ],
)
def test_pair_explicit_source_usage_errors(tmp_path, monkeypatch, paths, kwargs, message):
    """--source/--reference with anything but one target file is a usage error (ConfigError, exit 2)."""
    make(tmp_path, "a.de.txt", "b.de.txt", "a.zh.txt", "u.tsv")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        pair_inputs(paths, **kwargs)
    assert str(info.value).startswith(message)
