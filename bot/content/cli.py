"""`councilbot content ...`: the editors' tools on the command line (wired into bot/ops/cli.py)."""

from __future__ import annotations

import argparse
import textwrap
from functools import partial
from pathlib import Path

from bot.content.authoring import ContentEditor, ContentError, SaveResult
from bot.content.commands import add_command, bullet
from bot.content.inbox_cli import add_inbox_commands
from bot.content.publish import Progress, Publisher
from bot.settings import Settings


def add_content_commands(subparsers: argparse._SubParsersAction) -> None:
    """Adds `content` and its sub-commands to the `councilbot` parser."""
    content = subparsers.add_parser("content", help="questions and answers for content editors")
    commands = content.add_subparsers(dest="content_command", required=True)

    command = partial(add_command, commands)
    command("list", _list, "list every question and how many examples it has")
    command("search", _search, "find questions by words in them or their answers").add_argument(
        "text")
    command("show", _show, "show a question, its examples and its answer").add_argument("name")

    add = command("add", _add, "add a new question and answer")
    add.add_argument("name", help="short name, e.g. garden_waste_subscription")
    add.add_argument("--question", required=True, help="the question as a resident asks it")
    add.add_argument("--answer", required=True, help="under 80 words, one [link](https://...)")
    _examples_arguments(add, required=True)

    edit = command("edit", _edit, "change a question's wording, answer or examples")
    edit.add_argument("name")
    edit.add_argument("--question")
    edit.add_argument("--answer")
    _examples_arguments(edit, required=False)
    edit.add_argument("--remove-example", action="append", default=[], metavar="TEXT")

    command("remove", _remove, "delete a question and its answer").add_argument("name")

    add_example = command("add-example", _add_example,
                          "add examples to any intent (a question or a service)")
    add_example.add_argument("intent", help="e.g. faq/garden_waste_subscription or bin_day")
    add_example.add_argument("examples", nargs="+")

    preview = command("preview", _preview, "show an answer as residents will see it")
    preview.add_argument("name", nargs="?")
    preview.add_argument("--answer", help="preview this text instead of a saved answer")

    check = command("check", _check, "run every check on the content as it is now")
    check.add_argument("--no-rasa", action="store_true", help="skip `rasa data validate`")

    publish = command("publish", _publish, "train, test and put the new content live")
    publish.add_argument("--dry-run", action="store_true",
                         help="check, train and test, but leave the live version as it is")
    command("rollback", _rollback, "put the previously published version back")
    command("status", _status, "which published version is live")

    add_inbox_commands(commands)


def _examples_arguments(parser: argparse.ArgumentParser, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--example", action="append", dest="examples", metavar="TEXT",
                       help="a way a resident might ask (repeat for each)")
    group.add_argument("--examples-file", type=Path, help="a file with one example per line")


def _given_examples(args: argparse.Namespace) -> list[str] | None:
    if getattr(args, "examples_file", None):
        return [line for line in args.examples_file.read_text().splitlines() if line.strip()]
    return args.examples


def _saved(result: SaveResult) -> int:
    print(f"Saved ({', '.join(result.files)}). Run `councilbot content publish` to put it live.")
    return 0


def _list(_args: argparse.Namespace, settings: Settings) -> int:
    for question in ContentEditor(settings).list_questions():
        print(f"{question.name:<34} {len(question.examples):>3} examples  {question.question}")
    return 0


def _search(args: argparse.Namespace, settings: Settings) -> int:
    found = ContentEditor(settings).search(args.text)
    for question in found:
        print(f"{question.name:<34} {question.question}")
    if not found:
        print("No questions match.")
    return 0


def _show(args: argparse.Namespace, settings: Settings) -> int:
    editor = ContentEditor(settings)
    question = editor.show(args.name)
    print(f"{question.intent}\nQuestion: {question.question}\n\nAnswer:")
    print(textwrap.indent(textwrap.fill(editor.preview(answer=question.answer).plain, 96), "  "))
    print(f"\nExamples ({len(question.examples)}):")
    for example in question.examples:
        print(f"  - {example}")
    return 0


def _add(args: argparse.Namespace, settings: Settings) -> int:
    return _saved(ContentEditor(settings).add_question(
        args.name, args.question, _given_examples(args) or [], args.answer))


def _edit(args: argparse.Namespace, settings: Settings) -> int:
    return _saved(ContentEditor(settings).edit_question(
        args.name, question=args.question, answer=args.answer,
        add_examples=_given_examples(args), remove_examples=args.remove_example))


def _remove(args: argparse.Namespace, settings: Settings) -> int:
    return _saved(ContentEditor(settings).remove_question(args.name))


def _add_example(args: argparse.Namespace, settings: Settings) -> int:
    return _saved(ContentEditor(settings).add_examples(args.intent, args.examples))


def _preview(args: argparse.Namespace, settings: Settings) -> int:
    if not args.name and args.answer is None:
        raise ContentError("Give a question's name or --answer TEXT.")
    preview = ContentEditor(settings).preview(args.name, args.answer)
    print(textwrap.fill(preview.plain, 96))
    print(f"\n({preview.words} words)")
    return 0


def _check(args: argparse.Namespace, settings: Settings) -> int:
    problems = ContentEditor(settings, rasa_validate=not args.no_rasa).check()
    for problem in problems:
        print(bullet(problem.message))
    print(f"{len(problems)} problem(s).")
    return 1 if problems else 0


def _print_progress(progress: Progress) -> None:
    mark = {"started": "...", "passed": "ok ", "failed": "FAILED"}[progress.status]
    detail = f": {progress.detail}" if progress.detail else ""
    print(f"{mark} {progress.title}{detail}", flush=True)


def _publish(args: argparse.Namespace, settings: Settings) -> int:
    state = Publisher(settings).publish(_print_progress, dry_run=args.dry_run)
    if args.dry_run:
        print("Dry run passed: the content would publish; nothing was put live.")
    else:
        print(f"Published: {state.live} is live (previous: {state.previous or 'none'}).")
    return 0


def _rollback(_args: argparse.Namespace, settings: Settings) -> int:
    state = Publisher(settings).rollback(_print_progress)
    print(f"Rolled back: {state.live} is live again.")
    return 0


def _status(_args: argparse.Namespace, settings: Settings) -> int:
    state = Publisher(settings).state()
    print(f"live: {state.live or 'not published from here yet'}")
    print(f"previous: {state.previous or 'none'}")
    return 0
