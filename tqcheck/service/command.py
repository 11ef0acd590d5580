"""``tqcheck serve``: parse options, build the settings, run uvicorn. Nothing heavy is imported until it runs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tqcheck.cli import _commercial_values, _given_options, _qe_options, _qe_values, _size, licence_notice


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the service: give --token-file too.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="TCP port.")
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="Require 'Authorization: Bearer TOKEN' (the file's first line) on every endpoint but "
                   "/healthz and /docs.")
@click.option("--src-lang", metavar="LANG", help="Default source language of requests that give none.")
@click.option("--tgt-lang", metavar="LANG", help="Default target language of requests that give none.")
@click.option("--pack", "packs", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Extra rule-pack folder (repeatable).")
@click.option("--glossary", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Terminology for every request: CSV or TBX.")
@_qe_options("Run QE on every request with a source (the model is loaded once, at start).")
@click.option("--max-body", "max_body", metavar="SIZE", callback=_size, default="10MB", show_default=True,
              help="Largest request body, e.g. 10MB; 0: no limit. Larger: 413.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True, metavar="SECONDS",
              help="Per-request time limit; after it: 504 (the check finishes in the background).")
@click.option("--queue", type=click.IntRange(min=0), default=32, show_default=True,
              help="Checks that may wait for a worker; beyond them: 429 with Retry-After.")
@click.option("--concurrency", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker threads checking at once (QE releases the interpreter lock; rules share one core).")
@click.option("--qe-window", type=click.FloatRange(min=0), default=10.0, show_default=True, metavar="MS",
              help="Milliseconds a QE batch waits for the sentence pairs of concurrent requests.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Configuration file (default: tqcheck.toml searched from the current folder upwards).")
@click.option("--no-config", is_flag=True, help="Use no configuration file.")
def serve(host: str, port: int, token_file: Path | None, src_lang: str | None, tgt_lang: str | None,
          packs: tuple[Path, ...], glossary: Path | None, max_body: int | None, timeout: float, queue: int,
          concurrency: int, qe_window: float, config_path: Path | None, no_config: bool, **_qe: object) -> None:
    """Serve the checks over HTTP (JSON): POST /v1/check, POST /v1/check/batch, GET /v1/rules, /healthz,
    /metrics; OpenAPI docs at /docs. Bound to 127.0.0.1 unless --host says otherwise.

    Example: tqcheck serve --port 8080 --qe-model Unbabel/wmt22-cometkiwi-da --token-file token.txt
    """
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        raise click.UsageError("tqcheck serve needs the web stack: pip install 'tqcheck[serve]'") from None
    from tqcheck.configfile import find_config, load_config_file
    from tqcheck.errors import ConfigError
    from tqcheck.service import ServiceSettings, create_app

    if config_path is not None and no_config:
        raise click.UsageError("--config and --no-config cannot be combined")
    context = click.get_current_context()
    given = _given_options(context)
    cli_values: dict[str, object] = {key: value for key, value in (
        ("src_lang", src_lang), ("tgt_lang", tgt_lang), ("packs", packs), ("glossary", glossary)) if key in given}
    if qe := _qe_values(context, given):
        cli_values["qe"] = qe
    cli_values.update(_commercial_values(given))
    token = _token(token_file) if token_file is not None else None
    if token is None and host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host} without --token-file: anyone who reaches the port can use it",
                   err=True)
    try:
        found = config_path if config_path is not None else None if no_config else find_config(Path.cwd())
        file_values = load_config_file(found) if found is not None else {}
    except ConfigError as err:
        raise click.UsageError(str(err)) from None
    from tqcheck.configfile import merge
    from tqcheck.display import terminal_safe
    from tqcheck.packs.layout import pack_warnings

    try:
        pack_roots = merge(file_values, cli_values, config_file=found).config.packs
    except ConfigError as err:
        raise click.UsageError(str(err)) from None
    for root in pack_roots:
        for warning in pack_warnings(root):
            click.echo(f"warning: {terminal_safe(warning)}", err=True)
    settings = ServiceSettings(host=host, port=port, token=token, max_body=max_body or 0, timeout=timeout,
                               queue=queue, concurrency=concurrency, qe_window=qe_window / 1000,
                               file_values=file_values, cli_values=cli_values, config_file=found)
    app = create_app(settings)
    licence_notice(app.state.service.base)
    # Ctrl-C or SIGTERM: uvicorn stops taking connections and waits for the requests in flight.
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=int(timeout) + 5)


def _token(path: Path) -> str:
    try:
        token = path.read_text(encoding="utf-8").splitlines()[0].strip() if path.stat().st_size else ""
    except (OSError, UnicodeDecodeError) as err:
        raise click.UsageError(f"{path}: cannot read the token: {err}") from None
    if len(token) < 16:
        raise click.UsageError(f"{path}: the token must be at least 16 characters on the first line")
    return token


if __name__ == "__main__":  # pragma: no cover
    sys.exit(serve())
