"""`make audit`: pip-audit over every package installed in the project's virtualenv.

pip-audit runs from its own virtualenv (its pins clash with Rasa's). It asks an advisory
service about each name and version; where that service cannot be reached it skips every
package, which must not read as "no known vulnerabilities": this exits 2 and says so.
Exit 1: at least one known vulnerability. README's "Security" section lists the advisories
known in Rasa 3.6's forced pins and why each does or does not reach this project.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

AUDIT_BIN = Path("var/audit-venv/bin/pip-audit")
REQUIREMENTS = Path("var/audit-requirements.txt")
REPORT = Path("var/audit.json")


def main() -> int:
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "list", "--format=freeze", "--exclude-editable"],
        check=True, capture_output=True, text=True).stdout
    REQUIREMENTS.write_text(frozen)
    command = [str(AUDIT_BIN), "--requirement", str(REQUIREMENTS), "--no-deps", "--disable-pip",
               "--progress-spinner", "off", "--format", "json", "--output", str(REPORT),
               *sys.argv[1:]]
    print("$", " ".join(command))
    subprocess.run(command, check=False)
    if not REPORT.exists():
        print("pip-audit wrote no report (see its output above).")
        return 2
    dependencies = json.loads(REPORT.read_text()).get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    print(f"pip-audit: {len(dependencies)} packages, {len(audited)} audited, "
          f"{len(vulnerable)} with known vulnerabilities")
    if not audited:
        print("No package could be audited: the advisory service is unreachable from here. "
              "Run `make audit` where it is, or add `--vulnerability-service osv`; README "
              "'Security' lists the advisories known for Rasa 3.6's pins.")
        return 2
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
