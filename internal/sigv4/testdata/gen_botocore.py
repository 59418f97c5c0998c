#!/usr/bin/env python3
"""Regenerates the botocore fixtures that sigv4's tests verify.

Run from internal/sigv4:  python3 testdata/gen_botocore.py
(go test -run TestBotocore then checks them; the botocore version used is
recorded in each fixture.)

Each fixture is a request exactly as botocore (the engine of the AWS CLI and
boto3) hands it to the HTTP layer, signed with fixed credentials at a fixed
time: a second, independent SigV4 implementation for the Go verifier to agree
with. The credentials are made up.
"""
import datetime
import json
import os
import sys

import botocore
import botocore.auth
import botocore.compat
import botocore.session
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

FIXED = datetime.datetime(2026, 1, 2, 3, 4, 5)
NOW = FIXED.strftime("%Y%m%dT%H%M%SZ")
AKID = "AKIDEXAMPLEBOTOCORE1"
SECRET = "botocore/secret+key/EXAMPLEKEY0123456789"
TOKEN = "FwoGZXIvYXdzEXAMPLE//////////wEaDSessionToken+with/base64=="

botocore.auth.get_current_datetime = lambda *a, **k: FIXED
botocore.compat.get_current_datetime = lambda *a, **k: FIXED

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "botocore")


class Captured(Exception):
    pass


def capture_client(service, operation, params, token=None, endpoint="http://localhost:9229"):
    """Runs a real botocore client call and captures the signed request."""
    session = botocore.session.get_session()
    client = session.create_client(
        service,
        region_name="eu-west-1",
        endpoint_url=endpoint,
        aws_access_key_id=AKID,
        aws_secret_access_key=SECRET,
        aws_session_token=token,
    )
    got = {}

    def before_send(request, **kwargs):
        got["request"] = request
        raise Captured()

    client.meta.events.register("before-send", before_send)
    try:
        getattr(client, operation)(**params)
    except Captured:
        pass
    return got["request"]


def dump(name, description, method, url, headers, body, extra=None):
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    fixture = {
        "name": name,
        "description": description,
        "botocore_version": botocore.__version__,
        "now": NOW,
        "access_key_id": AKID,
        "secret_access_key": SECRET,
        "method": method,
        "url": url,
        "headers": [[k, v if isinstance(v, str) else v.decode()] for k, v in headers.items()],
        "body": body or "",
    }
    fixture.update(extra or {})
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(fixture, f, indent=2, sort_keys=True)
        f.write("\n")


def main():
    # 1. The AWS CLI path: a cognito-idp JSON 1.1 call with temporary credentials.
    req = capture_client(
        "cognito-idp", "admin_get_user",
        {"UserPoolId": "eu-west-1_EXAMPLE", "Username": "alice"}, token=TOKEN)
    dump("cognito_admin_get_user_session_token",
         "botocore client AdminGetUser with a session token (header form)",
         req.method, req.url, req.headers, req.body,
         {"region": "eu-west-1", "service": "cognito-idp", "session_token": True})

    # 2. SSM JSON 1.1 with long-term credentials.
    req = capture_client("ssm", "get_parameter", {"Name": "/app/db/password", "WithDecryption": True})
    dump("ssm_get_parameter",
         "botocore client GetParameter, long-term key (header form)",
         req.method, req.url, req.headers, req.body,
         {"region": "eu-west-1", "service": "ssm", "session_token": False})

    # 3. A presigned STS GetCallerIdentity URL (query form), made the way
    #    `aws eks get-token` makes it (HttpMethod="GET").
    session = botocore.session.get_session()
    sts = session.create_client("sts", region_name="eu-west-1", endpoint_url="http://localhost:9229",
                                aws_access_key_id=AKID, aws_secret_access_key=SECRET,
                                aws_session_token=TOKEN)
    url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=900, HttpMethod="GET")
    dump("sts_presigned_get_caller_identity",
         "botocore generate_presigned_url GetCallerIdentity with a session token (query form)",
         "GET", url, {}, "",
         {"region": "eu-west-1", "service": "sts", "session_token": True, "presigned": True})

    # 4. SigV4Auth directly: an execute-api GET whose path botocore normalizes
    #    (dot segments, a double slash, an escaped space) and a query with a
    #    space and a reserved character.
    creds = Credentials(AKID, SECRET)
    url = "http://localhost:9229/prod/items/./a%20b//c/../d?q=a%20b&z=%2F&a=1"
    r = AWSRequest(method="GET", url=url, headers={"Accept": "application/json"})
    SigV4Auth(creds, "execute-api", "eu-west-1").add_auth(r)
    p = r.prepare()
    dump("execute_api_normalized_path",
         "SigV4Auth on a path that botocore normalizes before signing",
         p.method, p.url, p.headers, p.body,
         {"region": "eu-west-1", "service": "execute-api", "session_token": False})

    # 5. A client that signs user-agent and content-length: 0. aws-sdk-go-v2's
    #    signer can do neither, so this exercises the manual canonical request.
    saved = list(botocore.auth.SIGNED_HEADERS_BLACKLIST)
    botocore.auth.SIGNED_HEADERS_BLACKLIST[:] = [h for h in saved if h != "user-agent"]
    try:
        r = AWSRequest(method="POST", url="http://localhost:9229/",
                       headers={"User-Agent": "custom-client/1.0  (signs   everything)",
                                "Content-Length": "0",
                                "X-Amz-Target": "AmazonSSM.DescribeParameters"},
                       data=b"")
        SigV4Auth(creds, "ssm", "eu-west-1").add_auth(r)
        p = r.prepare()
    finally:
        botocore.auth.SIGNED_HEADERS_BLACKLIST[:] = saved
    dump("ssm_signed_user_agent",
         "SigV4Auth with user-agent and content-length: 0 signed (manual fallback path)",
         p.method, p.url, p.headers, p.body,
         {"region": "eu-west-1", "service": "ssm", "session_token": False})


if __name__ == "__main__":
    sys.exit(main())
