"""The request signers reproduce the signature examples the providers publish.

* Alibaba Cloud, RPC signature v1 (HMAC-SHA1): the DescribeRegions example of "Request
  syntax and signature method V2 for RPC APIs"
  (https://www.alibabacloud.com/help/doc-detail/25488.htm) and the SendSms example of the
  SMS signature document (https://help.aliyun.com/document_detail/56189.html).
* Tencent Cloud, API 3.0 signature v3 (TC3-HMAC-SHA256): the DescribeInstances example of
  "Signature v3" (https://www.tencentcloud.com/document/product/267/37447). The same vectors
  are in the official SDKs' tests (aliyun-openapi-python-sdk, tencentcloud-sdk-python).
"""

from __future__ import annotations

from services.notifications.usecases.channels.signing import (
    aliyun_signature,
    aliyun_signed_query,
    aliyun_string_to_sign,
    tencent_authorization,
    tencent_canonical_request,
    tencent_string_to_sign,
)

DESCRIBE_REGIONS = {
    "AccessKeyId": "testid",
    "Action": "DescribeRegions",
    "Format": "XML",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "SignatureVersion": "1.0",
    "Timestamp": "2016-02-23T12:46:24Z",
    "Version": "2014-05-26",
}
SEND_SMS = {
    "AccessKeyId": "testId",
    "Action": "SendSms",
    "Format": "XML",
    "OutId": "123",
    "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou",
    "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}
TENCENT_PAYLOAD = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'


def test_alibaba_string_to_sign_and_signature_match_the_describe_regions_example():
    assert aliyun_string_to_sign(DESCRIBE_REGIONS) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
        "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
        "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    )
    assert aliyun_signature(DESCRIBE_REGIONS, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_alibaba_signature_matches_the_send_sms_example_with_its_chinese_sign_name():
    assert aliyun_signature(SEND_SMS, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    query = aliyun_signed_query(SEND_SMS, "testSecret")
    assert query.startswith("Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D&AccessKeyId=testId&Action=SendSms")
    assert (
        "SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8" in query
    )


def test_alibaba_signature_changes_with_any_parameter_or_the_secret():
    assert (
        aliyun_signature({**SEND_SMS, "PhoneNumbers": "15300000002"}, "testSecret")
        != "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    )
    assert aliyun_signature(SEND_SMS, "testsecret") != "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_tencent_canonical_request_string_to_sign_and_authorization_match_the_describe_instances_example():
    canonical = tencent_canonical_request("cvm.tencentcloudapi.com", TENCENT_PAYLOAD)
    assert canonical == (
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
        "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    )
    assert tencent_string_to_sign(1551113065, "cvm", canonical) == (
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    )
    assert tencent_authorization(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        service="cvm",
        host="cvm.tencentcloudapi.com",
        timestamp=1551113065,
        payload=TENCENT_PAYLOAD,
    ) == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
        "SignedHeaders=content-type;host, "
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )
