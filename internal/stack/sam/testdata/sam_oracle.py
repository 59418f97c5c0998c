#!/usr/bin/env python3
"""Transform a SAM template offline with aws-sam-translator and print JSON.

Usage: sam_oracle.py TEMPLATE

The template is read with cfn-lint's loader (short-form tags become long
form). AWS::Include of a local file is resolved relative to the template's
directory before the translator runs, as `sam build`/`sam deploy` do for
DefinitionUri-style local includes. No AWS call is made: the managed-policy
map is empty and the region/partition are fixed to us-east-1/aws.
"""
import json
import os
import sys

from cfnlint.decode import decode_str
from samtranslator.translator.transform import transform
from samtranslator.public.exceptions import InvalidDocumentException


class _NoPolicies:
    def load(self):
        return {}


def _include(node, base):
    if isinstance(node, dict):
        ft = node.get("Fn::Transform")
        if len(node) == 1 and isinstance(ft, dict) and ft.get("Name") == "AWS::Include":
            loc = ft["Parameters"]["Location"]
            with open(os.path.join(base, loc)) as f:
                v, _ = decode_str(f.read())
            return _include(_plain(v), base)
        return {k: _include(v, base) for k, v in node.items()}
    if isinstance(node, list):
        return [_include(v, base) for v in node]
    return node


LOCAL_BUCKET = "cognate-local"


def _local_code(tpl):
    """Rewrite a local CodeUri as s3://cognate-local/<path>: what Cognate's
    transform does instead of `sam package`'s upload."""
    for res in (tpl.get("Resources") or {}).values():
        if not isinstance(res, dict) or res.get("Type") != "AWS::Serverless::Function":
            continue
        props = res.get("Properties") or {}
        uri = props.get("CodeUri")
        if uri is None:
            uri = ((tpl.get("Globals") or {}).get("Function") or {}).get("CodeUri")
        if isinstance(uri, str) and not uri.startswith("s3://"):
            props["CodeUri"] = "s3://%s/%s" % (LOCAL_BUCKET, uri)
            res["Properties"] = props


def _plain(v):
    return json.loads(json.dumps(v, default=str))


def main():
    path = sys.argv[1]
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with open(path) as f:
        tpl, matches = decode_str(f.read())
    if matches:
        print(json.dumps({"error": str(matches)}))
        return 1
    tpl = _include(_plain(tpl), os.path.dirname(os.path.abspath(path)))
    _local_code(tpl)
    try:
        out = transform(tpl, {}, _NoPolicies())
    except InvalidDocumentException as e:
        print(json.dumps({"error": "; ".join(str(c) for c in e.causes)}))
        return 0
    print(json.dumps(out, sort_keys=True, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
