"""The column mappings of the two sample formats (docs/import/), so the demo administrator can
try the import with the sample files."""

import json
from pathlib import Path

from django.conf import settings

from portail.imports.services import load_mapping_file

SAMPLES = Path(settings.BASE_DIR) / "docs" / "import"


def load(stdout):
    for name in ("arpege", "technocarte"):
        path = SAMPLES / f"{name}.json"
        if path.exists():
            load_mapping_file(json.loads(path.read_text(encoding="utf-8")))
    stdout.write("Import: mappings « Arpège » and « Technocarte » (samples in docs/import/)")
