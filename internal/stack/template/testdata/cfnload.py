"""Dump templates as cfn-lint's loader reads them, for reader_compat_test.go.

Usage: python3 cfnload.py FILE...
Prints one JSON object mapping each FILE to the template cfn-lint's
decoder loads (cfnlint.decode.decode: its YAML loader, with its JSON
fallback), or to {"__error__": [messages]} when it reports problems.
YAML dates, which a JSON template cannot hold, are written in ISO form.
"""

import datetime
import json
import sys

from cfnlint.decode import decode


def default(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def main(paths):
    out = {}
    for path in paths:
        template, matches = decode(path)
        if matches:
            out[path] = {"__error__": [m.message for m in matches]}
        else:
            out[path] = template
    json.dump(out, sys.stdout, default=default, allow_nan=False)


if __name__ == "__main__":
    main(sys.argv[1:])
