"""Request signing as the providers document it (pure functions, checked against their examples).

* Alibaba Cloud RPC signature v1 (HMAC-SHA1), used by SendSms on dysmsapi 2017-05-25:
  https://help.aliyun.com/document_detail/56189.html and
  https://www.alibabacloud.com/help/doc-detail/25488.htm
* Tencent Cloud API 3.0 signature v3 (TC3-HMAC-SHA256), used by SendSms 2021-01-11:
  https://www.tencentcloud.com/document/product/267/37447
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote


def aliyun_percent_encode(value: str) -> str:
    """RFC 3986 encoding as Alibaba requires: only A-Z a-z 0-9 - _ . ~ stay literal."""
    return quote(str(value), safe="-_.~")


def aliyun_string_to_sign(params: Mapping[str, str], method: str = "GET") -> str:
    canonical = "&".join(
        f"{aliyun_percent_encode(k)}={aliyun_percent_encode(v)}"
        for k, v in sorted(params.items())
        if k != "Signature"
    )
    return f"{method}&{aliyun_percent_encode('/')}&{aliyun_percent_encode(canonical)}"


def aliyun_signature(params: Mapping[str, str], secret: str, method: str = "GET") -> str:
    """Base64(HMAC-SHA1(secret + "&", StringToSign))."""
    digest = hmac.new(f"{secret}&".encode(), aliyun_string_to_sign(params, method).encode(), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode()


def aliyun_signed_query(params: Mapping[str, str], secret: str) -> str:
    signed = {"Signature": aliyun_signature(params, secret), **params}
    return "&".join(f"{aliyun_percent_encode(k)}={aliyun_percent_encode(v)}" for k, v in signed.items())


def _hmac256(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tencent_canonical_request(
    host: str, payload: str, content_type: str = "application/json; charset=utf-8"
) -> str:
    hashed = hashlib.sha256(payload.encode()).hexdigest()
    return f"POST\n/\n\ncontent-type:{content_type}\nhost:{host}\n\ncontent-type;host\n{hashed}"


def tencent_string_to_sign(timestamp: int, service: str, canonical_request: str) -> str:
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    hashed = hashlib.sha256(canonical_request.encode()).hexdigest()
    return f"TC3-HMAC-SHA256\n{timestamp}\n{day}/{service}/tc3_request\n{hashed}"


def tencent_authorization(
    secret_id: str, secret_key: str, *, service: str, host: str, timestamp: int, payload: str
) -> str:
    """The `Authorization` header of a TC3-HMAC-SHA256 signed POST with a JSON body."""
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    to_sign = tencent_string_to_sign(timestamp, service, tencent_canonical_request(host, payload))
    key = _hmac256(_hmac256(_hmac256(f"TC3{secret_key}".encode(), day), service), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{day}/{service}/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )
